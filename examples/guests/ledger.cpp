#include "ledger.hpp"

#include "shop_text.hpp"

#include <wasi/messaging/producer.hpp>
#include <wasmq/dead_letter_keys.hpp>

namespace shop {

namespace types = wasi::messaging::types;

namespace {

std::string MetadataValue(const types::Message& message, std::string_view key) {
  for (const auto& [name, value] : message.Metadata().value_or(types::Metadata{})) {
    if (name == key) return value;
  }
  return {};
}

// Splits "<word> <rest>" at the first space.
std::pair<std::string_view, std::string_view> Head(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), line.substr(space + 1)};
}

}  // namespace

std::string Books::ToText() const {
  std::string text = "created " + std::to_string(created) + "\nfailed " + std::to_string(failed) + "\npacked " +
                     std::to_string(packed) + "\nmailed " + std::to_string(mailed) + "\nrevenue-cents " +
                     std::to_string(revenue_cents) + "\n";
  for (const auto& [packer, count] : packed_by) text += "packed-by " + packer + " " + std::to_string(count) + "\n";
  for (const auto& letter : dead_letters) text += "dead-letter " + letter + "\n";
  for (const auto& failure : failures) text += "failure " + failure + "\n";
  return text;
}

std::optional<Books> Books::Parse(std::string_view text) {
  Books books;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;  // every line ends with a newline
    const auto [key, rest] = Head(text.substr(0, end));
    text.remove_prefix(end + 1);
    const auto number = [&](auto& field) {
      const auto value = ParseNumber(rest);
      if (value) field = static_cast<std::remove_reference_t<decltype(field)>>(*value);
      return value.has_value();
    };
    bool ok = true;
    if (key == "created")
      ok = number(books.created);
    else if (key == "failed")
      ok = number(books.failed);
    else if (key == "packed")
      ok = number(books.packed);
    else if (key == "mailed")
      ok = number(books.mailed);
    else if (key == "revenue-cents")
      ok = number(books.revenue_cents);
    else if (key == "packed-by") {
      const auto [packer, count] = Head(rest);
      const auto value = ParseNumber(count);
      ok = value.has_value();
      if (ok) books.packed_by[std::string(packer)] = static_cast<int>(*value);
    } else if (key == "dead-letter")
      books.dead_letters.emplace_back(rest);
    else if (key == "failure")
      books.failures.emplace_back(rest);
    else
      ok = false;
    if (!ok) return std::nullopt;
  }
  return books;
}

bool Ledger::Book(const types::Message& event) {
  const std::string topic = event.Topic().value_or("");
  if (topic == "orders.created") {
    ++books_.created;
    books_.revenue_cents += ParseNumber(MetadataValue(event, "total-cents")).value_or(0);
  } else if (topic == "orders.failed") {
    ++books_.failed;
    books_.failures.push_back(MetadataValue(event, "order-id") + ": " + MetadataValue(event, "reason"));
  } else if (topic == "orders.packed") {
    ++books_.packed;
    ++books_.packed_by[MetadataValue(event, "packer")];
  } else if (topic == "mail.outbox") {
    ++books_.mailed;
  } else if (topic == "fulfilment.dead") {
    // The broker writes why and after how many deliveries on every dead letter.
    const auto line = OrderLine::Parse(TextOf(event));
    books_.dead_letters.push_back((line ? line->order_id : TextOf(event)) + ": " +
                                  MetadataValue(event, wasmq::dead_letter_keys::reason) + " after " +
                                  MetadataValue(event, wasmq::dead_letter_keys::delivery_count) + " deliveries (" +
                                  MetadataValue(event, wasmq::dead_letter_keys::detail) + ")");
  } else {
    return false;
  }
  return true;
}

void Ledger::Report() {
  if (!client_) {
    auto client = types::Client::Connect(connection_);
    if (!client) return;
    client_.emplace(std::move(*client));
  }
  (void)wasi::messaging::producer::Send(*client_, "ledger.books", TextMessage(books_.ToText()));
}

std::expected<void, types::Error> Ledger::Handle(types::Message&& event) {
  if (Book(event)) Report();
  return {};
}

}  // namespace shop
