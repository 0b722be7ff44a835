// Names and patterns: validation never crashes and always says why in valid UTF-8; matching and
// covering agree with a reference written the obvious way (split into tokens, compare tokens);
// UTF-8 validation agrees with a reference decoder; is_valid_name agrees with validate_name; the
// publish path's word-at-a-time check (detail::plain_name) agrees with its rule written per byte.
//
// Input: "<pattern>\n<name>".

#include "detail/plain_name.hpp"

#include <wasmq/name.hpp>
#include <wasmq/utf8.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    tokens.push_back(text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return tokens;
    start = dot + 1;
  }
}

bool ReferenceMatches(std::string_view pattern, std::string_view name) {
  const auto p = Tokens(pattern);
  const auto n = Tokens(name);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == ">") return n.size() > i;  // one or more tokens left
    if (i >= n.size()) return false;
    if (p[i] != "*" && p[i] != n[i]) return false;
  }
  return p.size() == n.size();
}

/// Decodes code points and checks each against RFC 3629: shortest form, no surrogate, ≤ U+10FFFF.
bool ReferenceUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t point = 0;
    if (lead < 0x80) {
      length = 1;
      point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      point = (point << 6) | (next & 0x3F);
    }
    const std::uint32_t shortest = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    if (shortest != length || (point >= 0xD800 && point <= 0xDFFF) || point > 0x10FFFF) return false;
    i += length;
  }
  return true;
}

/// The plain-name rule one byte at a time: printable ASCII but `*` and `>`, non-empty tokens.
bool ReferencePlain(std::string_view text) {
  if (text.empty() || text.size() > wasmq::max_name_length) return false;
  char previous = '.';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e || c == '*' || c == '>' || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return previous != '.';
}

/// A name that `pattern` (valid) matches: `*` → "x", `>` → "x.y".
std::string Instance(std::string_view pattern) {
  std::string out;
  for (auto token : Tokens(pattern)) {
    if (!out.empty()) out += '.';
    out += token == "*" ? "x" : token == ">" ? "x.y" : std::string(token);
  }
  return out;
}

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\n');
  const std::string_view pattern = input.substr(0, split);
  const std::string_view name = split == std::string_view::npos ? std::string_view{} : input.substr(split + 1);

  Require(wasmq::is_valid_utf8(input) == ReferenceUtf8(input));
  for (const std::string_view text : {input, pattern, name}) {
    Require(wasmq::detail::plain_name(text) == ReferencePlain(text));
    if (ReferencePlain(text)) Require(wasmq::validate_name(text).has_value());
  }

  const auto name_valid = wasmq::validate_name(name);
  const auto pattern_valid = wasmq::validate_pattern(pattern);
  Require(wasmq::is_valid_name(name) == name_valid.has_value());  // the fast check agrees
  Require(wasmq::is_valid_name(pattern) == wasmq::validate_name(pattern).has_value());
  if (!name_valid) Require(wasmq::is_valid_utf8(name_valid.error().message()));
  if (!pattern_valid) Require(wasmq::is_valid_utf8(pattern_valid.error().message()));
  if (name_valid) {
    Require(wasmq::validate_pattern(name).has_value());  // every name is a pattern matching itself
    Require(!wasmq::has_wildcard(name));
    Require(wasmq::matches(name, name));
  }
  if (pattern_valid) {
    Require(wasmq::covers(pattern, pattern));
    const std::string instance = Instance(pattern);
    if (wasmq::validate_name(instance)) Require(wasmq::matches(pattern, instance));
    if (name_valid) Require(wasmq::matches(pattern, name) == ReferenceMatches(pattern, name));
    // covers(outer, inner) promises that whatever inner matches, outer matches.
    if (wasmq::validate_pattern(name) && wasmq::covers(pattern, name)) {
      const std::string inner_instance = Instance(name);
      if (wasmq::validate_name(inner_instance)) Require(wasmq::matches(pattern, inner_instance));
    }
  }
  return 0;
}
