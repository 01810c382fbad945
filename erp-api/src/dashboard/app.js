// The dashboard: signs in against the API, then shows every chart the user's rights allow,
// each an SVG the server draws from the same report the JSON API gives (`*.svg` routes).
// No framework, no outside resources: it works offline like /docs/.
"use strict";

const API = "/api/v1";
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("erp.token");

function iso(d) {
  return d.toISOString().slice(0, 10);
}

async function call(path, accept) {
  const r = await fetch(API + path, {
    headers: { Authorization: "Bearer " + token, Accept: accept || "application/json" },
  });
  if (r.status === 401) {
    signOut();
    throw new Error("signed out");
  }
  if (!r.ok) {
    let detail = r.status + " " + r.statusText;
    try {
      const p = await r.json();
      detail = p.detail || detail;
    } catch (_) {
      // not a problem+json body: keep the status line
    }
    throw new Error(detail);
  }
  return accept === "image/svg+xml" ? r.text() : r.json();
}

function signOut() {
  token = null;
  sessionStorage.removeItem("erp.token");
  $("charts").replaceChildren();
  $("filters").hidden = true;
  $("logout").hidden = true;
  $("who").hidden = true;
  $("login").hidden = false;
}

async function signIn(event) {
  event.preventDefault();
  $("login-error").textContent = "";
  const r = await fetch(API + "/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("username").value, password: $("password").value }),
  });
  const body = await r.json();
  if (!r.ok) {
    $("login-error").textContent = body.detail || "Signing in failed";
    return;
  }
  token = body.access_token;
  sessionStorage.setItem("erp.token", token);
  $("password").value = "";
  await start();
}

// Every chart: what it shows, the right it needs, and its address for the chosen filters.
function charts(me, extra) {
  const can = (p) => me.permissions.includes("*") || me.permissions.includes(p);
  const out = [];
  const period = (f) => `from=${f.from}&to=${f.to}`;
  const branch = (f) => (f.branch ? `&branch_id=${f.branch}` : "");
  if (can("crm.customer.read")) {
    out.push({ id: "targets", title: "My targets", url: (f) => `/crm/targets/progress.svg?date=${f.to}` });
    if (extra.leadsTeam || can("crm.all")) {
      out.push({ id: "team-targets", title: "Targets of the team", url: (f) => `/crm/targets/progress.svg?team=true&date=${f.to}` });
    }
    out.push({ id: "pipeline", title: "Pipeline", url: (f) => `/crm/reports/pipeline.svg?${period(f)}${branch(f)}` });
    out.push({ id: "revenue", title: "Revenue against target", url: (f) => `/crm/reports/revenue.svg?${period(f)}${branch(f)}` });
  }
  if (can("inventory.stock.read")) {
    out.push({ id: "stock-value", title: "Stock value and ABC", url: () => "/inventory/valuation.svg" });
  }
  if (can("mrp.production.read")) {
    out.push({ id: "production", title: "Production planned and received", url: (f) => `/mrp/reports/production-output.svg?${period(f)}` });
  }
  if (can("mrp.plan.read") && can("mrp.master.read")) {
    for (const w of extra.workCenters) {
      out.push({ id: "load-" + w.code, title: `Load of ${w.code} ${w.name}`, url: () => `/mrp/work-centers/${w.id}/load.svg` });
    }
  }
  if (can("finance.report.read")) {
    out.push({ id: "aging", title: "Receivables by age", url: (f) => `/finance/reports/aging.svg?side=receivable&at=${f.to}` });
    if (extra.hasAccounts) {
      out.push({ id: "cash-forecast", title: "Cash forecast", url: (f) => `/finance/reports/cash-forecast.svg?from=${f.from}` });
    }
    if (extra.budget) {
      const b = extra.budget;
      out.push({ id: "budget", title: `Budget ${b.name} against actual`, url: (f) => `/finance/reports/budget-vs-actual.svg?budget_id=${b.id}&${monthsOf(f)}${branch(f)}` });
    }
  }
  return out;
}

// A budget report covers whole months.
function monthsOf(f) {
  const from = f.from.slice(0, 8) + "01";
  const end = new Date(f.to.slice(0, 8) + "01T00:00:00Z");
  end.setUTCMonth(end.getUTCMonth() + 1);
  end.setUTCDate(0);
  return `from=${from}&to=${iso(end)}`;
}

// What some charts need to know first, asked only where the rights allow it.
async function context(me) {
  const can = (p) => me.permissions.includes("*") || me.permissions.includes(p);
  const extra = { leadsTeam: false, workCenters: [], budget: null, hasAccounts: false };
  if (can("crm.customer.read")) {
    const teams = await call("/crm/teams");
    extra.leadsTeam = teams.items.some((t) => t.lead_id === me.user_id);
  }
  if (can("mrp.plan.read") && can("mrp.master.read")) {
    extra.workCenters = (await call("/mrp/work-centers")).items.filter((w) => w.active).slice(0, 6);
  }
  if (can("finance.report.read")) {
    const year = Number($("to").value.slice(0, 4));
    const budgets = await call("/finance/budgets?limit=500");
    extra.budget = budgets.items.find((b) => b.status === "approved" && !b.superseded_by_id && b.fiscal_year === year) || null;
    // The cash forecast reads the cash accounts of a chart of accounts.
    extra.hasAccounts = can("finance.account.read") && (await call("/finance/accounts?limit=1")).items.length > 0;
  }
  return extra;
}

async function show(me) {
  const f = { from: $("from").value, to: $("to").value, branch: $("branch").value };
  const list = charts(me, await context(me));
  const area = $("charts");
  area.replaceChildren();
  await Promise.all(
    list.map(async (c) => {
      const fig = document.createElement("figure");
      fig.dataset.chart = c.id;
      const cap = document.createElement("figcaption");
      cap.textContent = c.title;
      const body = document.createElement("div");
      body.className = "message";
      body.textContent = "Loading…";
      fig.append(cap, body);
      area.append(fig);
      try {
        const text = await call(c.url(f), "image/svg+xml");
        const doc = new DOMParser().parseFromString(text, "image/svg+xml");
        if (doc.querySelector("parsererror")) {
          throw new Error("the chart could not be read");
        }
        body.replaceWith(document.importNode(doc.documentElement, true));
      } catch (e) {
        fig.classList.add("failed");
        body.textContent = e.message;
      }
    }),
  );
}

async function start() {
  const me = await call("/auth/me");
  $("login").hidden = true;
  $("who").hidden = false;
  $("who").textContent = "Signed in as " + me.username;
  $("logout").hidden = false;
  $("filters").hidden = false;
  const can = (p) => me.permissions.includes("*") || me.permissions.includes(p);
  if (can("org.branch.read")) {
    const branches = await call("/org/branches");
    const select = $("branch");
    select.replaceChildren(new Option("All branches", ""));
    for (const b of branches.items) {
      select.append(new Option(`${b.code} ${b.name}`, b.id));
    }
  }
  $("filters").onsubmit = (event) => {
    event.preventDefault();
    show(me);
  };
  await show(me);
}

document.addEventListener("DOMContentLoaded", () => {
  const today = new Date();
  $("to").value = iso(today);
  $("from").value = iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)));
  $("login").addEventListener("submit", signIn);
  $("logout").addEventListener("click", signOut);
  if (token) {
    start().catch(signOut);
  } else {
    signOut();
  }
});
