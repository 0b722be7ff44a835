#include "detail/plain_name.hpp"

#include <wasmq/name.hpp>
#include <wasmq/utf8.hpp>

#include <cstdint>
#include <string>

namespace wasmq {

namespace {

enum class Kind : std::uint8_t { name, pattern };

// Control characters are escaped, and so is every non-ASCII byte of text that is not UTF-8: an
// error's sentence is itself always valid UTF-8.
std::string quoted(std::string_view text) {
  const bool utf8 = is_valid_utf8(text);
  std::string out = "'";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || (byte > 0x7f && !utf8)) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<void> validate(std::string_view text, Kind kind) {
  if (detail::plain_name(text)) return {};
  const char* what = kind == Kind::name ? "name" : "pattern";
  if (text.empty()) return make_error(Errc::invalid_name, std::string(what) + " is empty");
  if (text.size() > max_name_length) {
    return make_error(Errc::invalid_name, std::string(what) + " is " + std::to_string(text.size()) +
                                              " bytes long; the limit is " + std::to_string(max_name_length));
  }
  if (!is_valid_utf8(text)) {
    return make_error(Errc::invalid_name, std::string(what) + " " + quoted(text) + " is not valid UTF-8");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::string_view token =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const bool last = dot == std::string_view::npos;
    if (token.empty()) {
      return make_error(Errc::invalid_name, std::string(what) + " " + quoted(text) + " has an empty token");
    }
    for (char c : token) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte <= 0x20 || byte == 0x7f) {
        return make_error(Errc::invalid_name,
                          std::string(what) + " " + quoted(text) + " contains a space or control character");
      }
    }
    const bool has_star = token.find('*') != std::string_view::npos;
    const bool has_gt = token.find('>') != std::string_view::npos;
    if (has_star || has_gt) {
      if (kind == Kind::name) {
        return make_error(Errc::wildcard_in_name,
                          "name " + quoted(text) + " contains a wildcard; '*' and '>' are for subscriptions only");
      }
      if (token != "*" && token != ">") {
        return make_error(Errc::invalid_pattern,
                          "pattern " + quoted(text) + ": a wildcard must be a whole token ('a.*.c', 'a.>')");
      }
      if (token == ">" && !last) {
        return make_error(Errc::invalid_pattern, "pattern " + quoted(text) + ": '>' may only be the last token");
      }
    }
    if (last) return {};
    start = dot + 1;
  }
}

}  // namespace

Result<void> validate_name(std::string_view name) { return validate(name, Kind::name); }

bool is_valid_name(std::string_view name) { return detail::plain_name(name) || validate(name, Kind::name).has_value(); }

Result<void> validate_pattern(std::string_view pattern) { return validate(pattern, Kind::pattern); }

bool has_wildcard(std::string_view pattern) noexcept {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = pattern.find('.', start);
    const std::string_view token =
        pattern.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (token == "*" || token == ">") return true;
    if (dot == std::string_view::npos) return false;
    start = dot + 1;
  }
}

bool matches(std::string_view pattern, std::string_view name) noexcept {
  if (pattern == ">") return !name.empty();  // the usual permission: everything, without a scan
  while (true) {
    const std::size_t pattern_dot = pattern.find('.');
    const std::size_t name_dot = name.find('.');
    const std::string_view pattern_token = pattern.substr(0, pattern_dot);
    const std::string_view name_token = name.substr(0, name_dot);
    if (pattern_token == ">") return !name.empty();
    if (pattern_token != "*" && pattern_token != name_token) return false;
    const bool pattern_done = pattern_dot == std::string_view::npos;
    const bool name_done = name_dot == std::string_view::npos;
    if (pattern_done || name_done) return pattern_done && name_done;
    pattern.remove_prefix(pattern_dot + 1);
    name.remove_prefix(name_dot + 1);
  }
}

bool covers(std::string_view outer, std::string_view inner) noexcept {
  while (true) {
    const std::size_t outer_dot = outer.find('.');
    const std::size_t inner_dot = inner.find('.');
    const std::string_view outer_token = outer.substr(0, outer_dot);
    const std::string_view inner_token = inner.substr(0, inner_dot);
    if (outer_token == ">") return true;   // the rest of inner is one or more tokens
    if (inner_token == ">") return false;  // inner reaches deeper than outer's fixed length
    if (outer_token != "*" && (inner_token == "*" || inner_token != outer_token)) return false;
    const bool outer_done = outer_dot == std::string_view::npos;
    const bool inner_done = inner_dot == std::string_view::npos;
    if (outer_done || inner_done) return outer_done && inner_done;
    outer.remove_prefix(outer_dot + 1);
    inner.remove_prefix(inner_dot + 1);
  }
}

}  // namespace wasmq
