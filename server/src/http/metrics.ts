import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DispatchService } from "../service.js";

// Prometheus metrics, one registry per server (several servers may share a process, as in tests).

export interface ServerMetrics {
  registry: Registry;
  resolutions: Counter<"result" | "code">;
  resolveSeconds: Histogram;
  apiErrors: Counter<"code">;
}

export function serverMetrics(service: DispatchService): ServerMetrics {
  const registry = new Registry();
  const resolutions = new Counter({
    name: "sip_dispatch_resolutions_total",
    help: "Calls resolved, by result and error code",
    labelNames: ["result", "code"] as const,
    registers: [registry],
  });
  const resolveSeconds = new Histogram({
    name: "sip_dispatch_resolve_seconds",
    help: "Time to resolve one call, without HTTP",
    buckets: [0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1],
    registers: [registry],
  });
  const apiErrors = new Counter({ name: "sip_dispatch_api_errors_total", help: "SIP API and resolve errors answered, by code", labelNames: ["code"] as const, registers: [registry] });
  new Gauge({
    name: "sip_dispatch_trunks",
    help: "Inbound trunks the dispatcher holds",
    registers: [registry],
    collect() {
      this.set(service.counts().trunks);
    },
  });
  new Gauge({
    name: "sip_dispatch_rules",
    help: "Dispatch rules the dispatcher holds",
    registers: [registry],
    collect() {
      this.set(service.counts().rules);
    },
  });
  new Gauge({
    name: "sip_dispatch_store_sync_age_seconds",
    help: "Seconds since the store was last read successfully",
    registers: [registry],
    collect() {
      const last = service.status().lastSyncAt;
      this.set(last === undefined ? -1 : (Date.now() - last) / 1000);
    },
  });
  new Gauge({
    name: "sip_dispatch_records_skipped",
    help: "Stored records skipped because they do not decode or cannot be checked",
    registers: [registry],
    collect() {
      this.set(service.status().skipped.length);
    },
  });
  return { registry, resolutions, resolveSeconds, apiErrors };
}
