import { openDatabase } from "./db/client";
import { migrateDatabase } from "./db/migrate";
import { sql } from "drizzle-orm";
import fs from "node:fs";
fs.rmSync("/tmp/mb/vac2", { recursive: true, force: true });
const h = await openDatabase({ dataDir: "/tmp/mb/vac2" });
await migrateDatabase(h);
const cols = "cpu_millis, cpu_throttled_ms, memory_working_set_bytes, memory_rss_bytes, memory_limit_bytes, disk_read_bytes, disk_write_bytes, disk_read_ops, disk_write_ops, tcp_established, tcp_listen, tcp_time_wait, net_rx_bytes, net_tx_bytes, net_rx_packets, net_tx_packets, net_rx_drops, net_tx_drops";
const vals = Array.from({ length: 18 }, (_, i) => `${i}.5`).join(",");
const size = async () => (await h.db.execute(sql`select pg_size_pretty(pg_relation_size('metric_sample')) as s`) as any).rows[0].s;
// "minutes" of samples: 30,000 series x 6 per minute = 180k rows per minute; fill 12 minutes, then cycle: add a minute, delete the oldest
const minute = async (m: number) => h.db.execute(sql.raw(`insert into metric_sample (series_id, at, ${cols}) select s, ${m} * 60000 + k * 10000, ${vals} from generate_series(1,30000) s, generate_series(0,5) k`));
let t = performance.now();
for (let m = 0; m < 12; m++) await minute(m);
console.log("12 min filled", ((performance.now() - t) / 1000).toFixed(1), "s", await size());
for (const vacuum of [false, true]) {
  for (let m = 12; m < 24; m++) {
    const mm = vacuum ? m + 12 : m;
    await minute(mm);
    await h.db.execute(sql.raw(`delete from metric_sample where at < ${(mm - 11) * 60000}`));
    if (vacuum) { t = performance.now(); await h.db.execute(sql`vacuum metric_sample`); if (m % 4 === 0) console.log("vacuum", ((performance.now() - t) / 1000).toFixed(2), "s"); }
  }
  console.log(vacuum ? "with vacuum" : "no vacuum", "after 12 more minutes:", await size());
}
await h.close();
