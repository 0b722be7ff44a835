#include "jetstream.hpp"

#include <wasmq/name.hpp>

#include <chrono>
#include <vector>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;

std::string Sanitized(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '.' || c == '*' || c == '>' || c == ' ' || c == '/' || c == '\\') c = '_';
  }
  return out;
}

std::string DeliverSubject(const DurableChannel& channel, std::string_view consumer) {
  return "_WASMQ.deliver." + StreamName(channel) + "." + std::string(consumer);
}

types::Error JetStreamError(natsStatus status, jsErrCode code, std::string_view doing) {
  if (status == NATS_NO_RESPONDERS) {
    // Nothing answers the JetStream API: the server runs without JetStream.
    return types::Error::Other(std::string(doing) +
                               ": no JetStream on the server (nothing answers its API); durable channels need "
                               "JetStream: start nats-server with -js (or jetstream {} in its configuration)");
  }
  types::Error error = ErrorOf(status, doing);
  if (error.GetKind() == types::Error::Kind::kOther && code != 0) {
    return types::Error::Other(error.Message() + " [JetStream error " + std::to_string(code) + "]");
  }
  return error;
}

}  // namespace

std::string StreamName(const DurableChannel& channel) {
  return channel.stream.empty() ? "WASMQ_" + Sanitized(channel.name) : channel.stream;
}

std::string ConsumerName(std::string_view group) { return Sanitized(group); }

std::expected<void, types::Error> ValidateChannel(const DurableChannel& channel) {
  if (auto valid = wasmq::validate_name(channel.name); !valid) {
    return std::unexpected(types::Error::Other("durable channel: " + valid.error().message()));
  }
  if (!channel.dead_letter.empty()) {
    if (auto valid = wasmq::validate_name(channel.dead_letter); !valid) {
      return std::unexpected(
          types::Error::Other("durable channel '" + channel.name + "': dead-letter name: " + valid.error().message()));
    }
    if (channel.dead_letter == channel.name) {
      return std::unexpected(
          types::Error::Other("durable channel '" + channel.name + "' cannot be its own dead-letter channel"));
    }
  }
  if (channel.lock_duration <= std::chrono::milliseconds::zero()) {
    return std::unexpected(
        types::Error::Other("durable channel '" + channel.name + "': lock duration must be positive"));
  }
  return {};
}

void InitConsumerConfig(jsConsumerConfig& config, const DurableChannel& channel) {
  jsConsumerConfig_Init(&config);
  config.AckPolicy = js_AckExplicit;
  config.AckWait = channel.lock_duration.count() * kNanosPerMilli;
  config.MaxDeliver = channel.max_deliveries == 0 ? -1 : static_cast<std::int64_t>(channel.max_deliveries);
  config.DeliverPolicy = channel.queue ? js_DeliverAll : js_DeliverNew;
}

std::expected<void, types::Error> EnsureStream(jsCtx* js, const DurableChannel& channel) {
  const std::string stream = StreamName(channel);
  const char* subjects[] = {channel.name.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = stream.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Retention = channel.queue ? js_WorkQueuePolicy : js_InterestPolicy;
  config.Storage = js_FileStorage;

  jsStreamInfo* info = nullptr;
  auto code = static_cast<jsErrCode>(0);
  natsStatus status = js_AddStream(&info, js, &config, nullptr, &code);
  if (status != NATS_OK && code == JSStreamNameExistErr) status = js_UpdateStream(&info, js, &config, nullptr, &code);
  NatsPtr<jsStreamInfo> owned(info);
  if (status != NATS_OK) return std::unexpected(JetStreamError(status, code, "creating JetStream stream " + stream));
  if (!channel.queue) return {};
  return EnsureSharedConsumer(js, channel, queue_consumer);
}

std::expected<void, types::Error> EnsureSharedConsumer(jsCtx* js, const DurableChannel& channel,
                                                       std::string_view consumer_name) {
  const std::string stream = StreamName(channel);
  const std::string name(consumer_name);
  const std::string deliver = DeliverSubject(channel, name);
  jsConsumerConfig consumer;
  InitConsumerConfig(consumer, channel);
  consumer.Durable = name.c_str();
  consumer.DeliverSubject = deliver.c_str();
  consumer.DeliverGroup = name.c_str();
  jsConsumerInfo* consumer_info = nullptr;
  auto code = static_cast<jsErrCode>(0);
  natsStatus status = js_AddConsumer(&consumer_info, js, stream.c_str(), &consumer, nullptr, &code);
  if (status != NATS_OK && code == JSConsumerNameExistErr) {
    status = js_UpdateConsumer(&consumer_info, js, stream.c_str(), &consumer, nullptr, &code);
  }
  jsConsumerInfo_Destroy(consumer_info);
  if (status != NATS_OK) {
    return std::unexpected(JetStreamError(status, code, "creating consumer " + name + " of " + stream));
  }
  return {};
}

wasmq::Message DeadLetterOf(const wasmq::Message& message, std::string_view dead_letter, const DeathNotice& notice) {
  wasmq::Message letter;
  letter.topic = std::string(dead_letter);
  letter.payload = message.payload;
  letter.content_type = message.content_type;
  letter.metadata = message.metadata;
  const auto now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  letter.set_metadata(wasmq::dead_letter_keys::reason, wasmq::to_string(notice.reason));
  letter.set_metadata(wasmq::dead_letter_keys::detail, notice.detail);
  letter.set_metadata(wasmq::dead_letter_keys::original_topic, message.topic);
  letter.set_metadata(wasmq::dead_letter_keys::queue, notice.queue);
  letter.set_metadata(wasmq::dead_letter_keys::delivery_count, std::to_string(notice.delivery_count));
  letter.set_metadata(wasmq::dead_letter_keys::published_at_ns, std::to_string(notice.published_at_ns));
  letter.set_metadata(wasmq::dead_letter_keys::dead_lettered_at_ns, std::to_string(now_ns));
  return letter;
}

std::string MaxDeliveriesAdvisorySubject(std::string_view stream) {
  return "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + std::string(stream) + ".*";
}

}  // namespace wasmq::backends::nats_detail
