import type { Provider } from '../model.js';
import type { ProviderModule } from './provider.js';

/** How declared providers say where they come from (messages tell them apart from definitions in the repository). */
export const DECLARED_VIA = 'declared in .github/keyref.yml';

/** Objects the repository declares as created elsewhere (`externalObjects` in .github/keyref.yml). */
export const declaredProvider: ProviderModule = {
  id: 'declared',
  description: 'externalObjects of the configuration: ConfigMaps/Secrets created outside the repository (keys omitted: any key).',
  provide(context) {
    return context.config.externalObjects.map(
      (o): Provider => ({
        kind: o.kind,
        name: o.name,
        names: [o.name],
        namespaces: [o.namespace],
        keys: o.keys !== undefined ? new Set(o.keys) : 'unknown',
        via: DECLARED_VIA,
      }),
    );
  },
};
