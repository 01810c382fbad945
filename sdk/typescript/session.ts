// A short session through the TypeScript types openapi-typescript generates from
// openapi/openapi.json (schema.d.ts, made by .ci/sdk) and the openapi-fetch client: log in,
// create items, page through them, plan with MRP and wait for the run, and read refusals as
// typed problems. tsc checks every path, parameter and body against the contract first.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Problem = components["schemas"]["Problem"];

// Node's environment, without pulling in all of Node's types.
declare const process: { env: Record<string, string | undefined> };

const url = process.env.ERP_URL!;
const tag = Math.random().toString(36).slice(2, 8).toUpperCase();

function check(ok: boolean, what: string, detail?: unknown): asserts ok {
  if (!ok) {
    throw new Error(`${what}: ${JSON.stringify(detail)}`);
  }
}

const api = createClient<paths>({ baseUrl: url });

// Log in: a wrong password is a typed problem, the right one a token.
const refused = await api.POST("/api/v1/auth/login", {
  body: { username: "admin", password: "wrong-password" },
});
const denied: Problem | undefined = refused.error;
check(denied?.status === 401, "a wrong password is refused", refused.error);
const login = await api.POST("/api/v1/auth/login", {
  body: { username: "admin", password: process.env.ERP_PASSWORD! },
});
check(login.data !== undefined, "login", login.error);
api.use({
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${login.data.access_token}`);
    return request;
  },
});

// A unit and five items.
const unit = await api.POST("/api/v1/inventory/uoms", {
  body: { code: `ts${tag}`.toLowerCase(), name: "each" },
});
check(unit.data !== undefined, "unit", unit.error);
const skus = [0, 1, 2, 3, 4].map((n) => `TS-${tag}-${n}`);
const ids: Record<string, string> = {};
for (const sku of skus) {
  const made = await api.POST("/api/v1/inventory/items", {
    body: { sku, name: `Part ${sku}`, base_uom_id: unit.data.id },
  });
  check(made.data !== undefined, `item ${sku}`, made.error);
  ids[sku] = made.data.id;
}

// Page through them two at a time, following next_cursor to the end.
const seen: string[] = [];
let cursor: string | undefined;
let pages = 0;
do {
  const page = await api.GET("/api/v1/inventory/items", {
    params: { query: { limit: 2, q: `TS-${tag}`, ...(cursor ? { cursor } : {}) } },
  });
  check(page.data !== undefined, "page of items", page.error);
  seen.push(...page.data.items.map((i) => i.sku));
  cursor = page.data.next_cursor ?? undefined;
  pages += 1;
} while (cursor);
check(
  JSON.stringify(seen.sort()) === JSON.stringify(skus) && pages === 3,
  "every item once, in three pages",
  { seen, pages },
);

// Refusals are typed: a SKU taken (409) and an invalid field (422, named).
const taken = await api.POST("/api/v1/inventory/items", {
  body: { sku: skus[0]!, name: "again", base_uom_id: unit.data.id },
});
check(taken.response.status === 409 && !!taken.error?.request_id, "a taken SKU", taken.error);
const blank = await api.POST("/api/v1/inventory/items", {
  body: { sku: `TS-${tag}-X`, name: " ", base_uom_id: unit.data.id },
});
check(
  blank.error?.code === "validation_failed" &&
    JSON.stringify(blank.error.errors?.map((e) => e.field)) === '["name"]',
  "a blank name is named",
  blank.error,
);

// Plan: a bought part with a lead time, a demand, a run waited for, its record read.
const part = ids[skus[0]!]!;
const planning = await api.PUT("/api/v1/mrp/items/{id}/planning", {
  params: { path: { id: part } },
  body: { lead_time_days: 7 },
});
check(planning.data !== undefined, "planning data", planning.error);
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const demand = await api.POST("/api/v1/mrp/demands", {
  body: { item_id: part, kind: "mps", due_date: day(22), quantity: "40" },
});
check(demand.data !== undefined, "demand", demand.error);
const started = await api.POST("/api/v1/mrp/runs", {
  body: { start_date: day(1), buckets: 8 },
});
check(started.data !== undefined, "run started", started.error);
let run = started.data;
const deadline = Date.now() + 60_000;
while (run.status === "running" && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 200));
  const polled = await api.GET("/api/v1/mrp/runs/{id}", {
    params: { path: { id: run.id } },
  });
  check(polled.data !== undefined, "run", polled.error);
  run = polled.data;
}
check(run.status === "succeeded", "the run succeeds", run);
const records = await api.GET("/api/v1/mrp/runs/{id}/records", {
  params: { path: { id: run.id }, query: { item_id: part } },
});
check(records.data?.items.length === 1, "the part's record", records.error);
const released = records.data.items[0]!.buckets.reduce(
  (sum, b) => sum + Number(b.planned_order_releases),
  0,
);
check(released === 40, "40 released in all", records.data.items[0]);
console.log(
  `typescript client: ${skus.length} items in ${pages} pages, run ${run.status} with ${run.planned_orders} planned orders`,
);
