// Loads the plugin (a shared library holding a static wasmq) at run time and runs it.
#include <dlfcn.h>

#include <cstdio>

int main() {
  void* plugin = dlopen(WASMQ_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  if (plugin == nullptr) {
    std::fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  using Run = int (*)();
  auto run = reinterpret_cast<Run>(dlsym(plugin, "wasmq_plugin_run"));
  const int result = run != nullptr ? run() : 10;
  std::printf("plugin with a static wasmq: %s\n", result == 0 ? "ok" : "failed");
  dlclose(plugin);
  return result;
}
