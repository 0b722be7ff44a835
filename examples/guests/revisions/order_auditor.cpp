#include "order_auditor.hpp"

namespace shop::revisions {

namespace r1 = wasi::messaging::r1;

std::expected<void, r1::types::MessagingError> OrderAuditor::Start() {
  auto token = r1::sub::Subscribe(r1::types::Channel::Topic("orders.placed"));
  if (!token) return std::unexpected(token.error());
  token_ = std::move(*token);
  return {};
}

std::expected<void, r1::types::MessagingError> OrderAuditor::Stop() { return r1::sub::Unsubscribe(token_); }

std::expected<void, r1::types::MessagingError> OrderAuditor::OnReceive(const r1::types::Event& e) {
  r1::types::Event audit{.specversion = "1.0",
                         .ty = "com.shop.audit",
                         .source = "/shop/auditor",
                         .id = "audit-" + e.id,
                         .data = e.data,
                         .datacontenttype = e.datacontenttype,
                         .subject = e.subject,
                         .extensions = {{{"orderid", e.id}}}};
  if (auto queued = r1::pub::Publish(r1::types::Channel::Queue("audit"), audit); !queued) return queued;
  audited_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

}  // namespace shop::revisions
