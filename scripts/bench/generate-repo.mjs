// Deterministic synthetic repository for the benchmark: many workloads referencing many
// ConfigMaps/Secrets across namespaces, kustomizations with generators, and some large CRDs
// (which dominate bytes in real repositories). Same seed → same files.

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bigCrd(i) {
  const props = [];
  for (let p = 0; p < 400; p++) {
    props.push(`                field${p}:\n                  type: string\n                  description: Field ${p} of the generated resource ${i}, documented at length so the file is large like real CRDs.`);
  }
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets${i}.example.com
spec:
  group: example.com
  names: {kind: Widget${i}, plural: widgets${i}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${props.join('\n')}
`;
}

/** @returns {{path: string, text: string}[]} */
export function generateRepository(manifestCount = 10000, seed = 42) {
  const random = rng(seed);
  const files = [];
  const namespaces = 20;
  const apps = Math.floor(manifestCount / 4);
  let made = 0;
  for (let a = 0; a < apps && made < manifestCount; a++) {
    const ns = `team-${a % namespaces}`;
    const dir = `apps/${ns}/app-${a}`;
    const keys = Array.from({ length: 5 }, (_, k) => `KEY_${k}`);
    files.push({
      path: `${dir}/configmap.yaml`,
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${a}-config\n  namespace: ${ns}\ndata:\n${keys.map((k) => `  ${k}: "value-${k.toLowerCase()}"`).join('\n')}\n  LOG_LEVEL: info\n`,
    });
    files.push({
      path: `${dir}/sealedsecret.yaml`,
      text: `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: app-${a}-secret\n  namespace: ${ns}\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA==\n    token: AgBy3i4OJSWK+PiTySYZZB==\n`,
    });
    // One in 50 references a key that does not exist, one in 70 a ConfigMap that does not exist.
    const badKey = random() < 0.02 ? 'KEY_MISSING' : 'KEY_1';
    const cm = random() < 0.014 ? `app-${a}-confg` : `app-${a}-config`;
    files.push({
      path: `${dir}/deployment.yaml`,
      text: `# Deployment of app ${a}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${a}
  namespace: ${ns}
  labels: {app: app-${a}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${a}}
  template:
    metadata:
      labels: {app: app-${a}}
    spec:
      imagePullSecrets:
        - name: registry-credentials
      containers:
        - name: main
          image: registry.example.com/app-${a}:1.0.${a}
          ports: [{containerPort: 8080}]
          env:
            - name: KEY_0
              valueFrom:
                configMapKeyRef: {name: ${cm}, key: KEY_0}
            - name: SETTING
              valueFrom:
                configMapKeyRef:
                  name: app-${a}-config
                  key: ${badKey}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: app-${a}-secret
                  key: password
          envFrom:
            - configMapRef:
                name: app-${a}-config
          volumeMounts:
            - {name: config, mountPath: /etc/app}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
      volumes:
        - name: config
          configMap:
            name: app-${a}-config
            items:
              - key: LOG_LEVEL
                path: log-level
`,
    });
    files.push({
      path: `${dir}/service.yaml`,
      text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${a}\n  namespace: ${ns}\nspec:\n  selector: {app: app-${a}}\n  ports:\n    - port: 80\n      targetPort: 8080\n`,
    });
    made += 4;
  }
  for (let n = 0; n < namespaces; n++) {
    files.push({
      path: `platform/team-${n}/kustomization.yaml`,
      text: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: team-${n}\nresources:\n  - pull-secret.yaml\nsecretGenerator:\n  - name: team-${n}-extra\n    literals:\n      - mode=fast\n`,
    });
    files.push({
      path: `platform/team-${n}/pull-secret.yaml`,
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: registry-credentials\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30=\n`,
    });
  }
  for (let c = 0; c < 30; c++) files.push({ path: `crds/widget-${c}.yaml`, text: bigCrd(c) });
  return files;
}
