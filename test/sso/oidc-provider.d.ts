// oidc-provider ships no type declarations; the tests use it only to run a real OpenID provider.
declare module "oidc-provider" {
  const Provider: any;
  export default Provider;
}
