// wasmq-wasm-meter <in.wasm> <out.wasm>: writes the module with a step budget (wasmq/wasm/meter.hpp).
#include <wasmq/wasm/meter.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <in.wasm> <out.wasm>\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.eof() && in.fail()) {
    std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 1;
  }
  auto metered = wasmq::wasm::Meter(bytes);
  if (!metered) {
    std::fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], metered.error().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(metered->data()), static_cast<std::streamsize>(metered->size()));
  if (!out) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[2]);
    return 1;
  }
  return 0;
}
