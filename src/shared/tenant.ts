/** The space a request acts in, resolved from its API key. Every query takes it explicitly. */
export interface Tenant {
  groupId: number
  apiKeyId: number
}
