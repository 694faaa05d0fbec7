/** Thrown when the pull request's head moved on while its review ran: the result must not be posted. */
export class Superseded extends Error {
  override readonly name = 'Superseded';
  constructor() {
    super('the pull request head moved on');
  }
}
