/** Health, readiness and metrics for operators. */
export { installOps } from "./ops.http.ts";
