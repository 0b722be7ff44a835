// wasmq-wasm-meter [--max-table-elements N] <in.wasm> <out.wasm>: writes the module with a step
// budget (wasmq/wasm/meter.hpp), its tables capped at N elements together (by default
// kDefaultMaxTableElements, host::GuestLimits's default).
#include <wasmq/wasm/meter.hpp>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <span>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  const std::span<char*> args(argv, static_cast<std::size_t>(argc));
  wasmq::wasm::MeterOptions options{.max_table_elements = wasmq::wasm::kDefaultMaxTableElements};
  std::size_t first = 1;
  if (args.size() == 5 && std::string_view(args[1]) == "--max-table-elements") {
    const std::string_view text(args[2]);
    std::uint64_t limit = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (error != std::errc{} || end != text.data() + text.size()) {
      std::fprintf(stderr, "%s: --max-table-elements takes a count, not '%s'\n", args[0], args[2]);
      return 2;
    }
    options.max_table_elements = limit;
    first = 3;
  }
  if (args.size() != first + 2) {
    std::fprintf(stderr, "usage: %s [--max-table-elements N] <in.wasm> <out.wasm>\n", args[0]);
    return 2;
  }
  const char* in_path = args[first];
  const char* out_path = args[first + 1];
  std::ifstream in(in_path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.eof() && in.fail()) {
    std::fprintf(stderr, "%s: cannot read %s\n", args[0], in_path);
    return 1;
  }
  auto metered = wasmq::wasm::Meter(bytes, options);
  if (!metered) {
    std::fprintf(stderr, "%s: %s: %s\n", args[0], in_path, metered.error().c_str());
    return 1;
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(metered->data()), static_cast<std::streamsize>(metered->size()));
  if (!out) {
    std::fprintf(stderr, "%s: cannot write %s\n", args[0], out_path);
    return 1;
  }
  return 0;
}
