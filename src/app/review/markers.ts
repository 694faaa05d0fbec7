/** Hidden markers in the app's review comments and review bodies, so a re-run can tell what it already said. */

const FINGERPRINT = /<!-- keyref:fingerprint=([0-9a-zA-Z_-]{1,100}) -->/g;
const REVIEW = /<!-- keyref:review sha=([0-9a-f]{7,64}) -->/;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- keyref:fingerprint=${fingerprint.replace(/[^0-9a-zA-Z_-]/g, '')} -->`;
}

export function reviewMarker(headSha: string): string {
  return `<!-- keyref:review sha=${headSha} -->`;
}

export function fingerprintsIn(body: string | null | undefined): string[] {
  return body ? [...body.matchAll(FINGERPRINT)].map((m) => m[1] as string) : [];
}

export function reviewShaIn(body: string | null | undefined): string | undefined {
  return body ? REVIEW.exec(body)?.[1] : undefined;
}

/** Added to a comment once keyref minimized it because its finding is gone (so later runs skip it). */
export const OUTDATED_MARKER = '<!-- keyref:outdated -->';

export function isMarkedOutdated(body: string | null | undefined): boolean {
  return body ? body.includes(OUTDATED_MARKER) : false;
}
