#pragma once
/// The broker's counters in the Prometheus text exposition format (version 0.0.4): what a host
/// serves at /metrics for Prometheus, or for anything that scrapes that format (the OpenTelemetry
/// collector's Prometheus receiver, VictoriaMetrics, Grafana Agent).

#include <wasmq/detail/visibility.hpp>
#include <wasmq/error.hpp>
#include <wasmq/stats.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// The Content-Type to serve it with.
inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// Writes `stats` as metric families named `<prefix>_…`, each with HELP and TYPE:
///   <prefix>_published_total, <prefix>_unrouted_total                       (the broker)
///   <prefix>_queue_{published,refused,delivered,redelivered,accepted,released,rejected,
///                   lock_expired,handler_failures}_total{queue}              (counters)
///   <prefix>_queue_{dead_lettered,dropped}_total{queue,reason}              (counters)
///   <prefix>_queue_{depth,delayed,in_flight,bytes,consumers}{queue}          (gauges)
///   <prefix>_consumer_{delivered,accepted,released,rejected,lock_expired,
///                      handler_failures}_total{consumer,queue}, <prefix>_consumer_in_flight
/// Label values are escaped as the format requires. Errors: invalid_argument when `prefix` is
/// not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
[[nodiscard]] Result<std::string> prometheus_text(const BrokerStats& stats, std::string_view prefix = "wasmq");

}  // namespace wasmq

WASMQ_PUBLIC_END
