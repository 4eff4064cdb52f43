// The API's types for the web apps: generated from clients/openapi.json into schema.d.ts by
// `make clients` (never edit that file); this module names what the apps use most.
import type { components, operations, paths } from "./schema";

export type { components, operations, paths };

/** A schema of the API by name: `Schema<"Order">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** Every error answer: RFC 9457 problem details with a stable `code`. */
export type Problem = Schema<"ProblemDetails">;

/** The JSON body an operation answers with for a status: `Answer<"orders.open_order", 201>`. */
export type Answer<
  Id extends keyof operations,
  Status extends keyof operations[Id]["responses"],
> = operations[Id]["responses"][Status] extends { content: { "application/json": infer Body } }
  ? Body
  : never;

// Checked by `tsc --noEmit`: an opened order answers with an Order.
const opened: Answer<"orders.open_order", 201> extends Schema<"Order"> ? true : false = true;
void opened;
