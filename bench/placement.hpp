#pragma once
// Where the threads of a two-thread benchmark run. On a machine with two CPUs, letting the
// scheduler place them makes the figures bimodal: when the producer and the consumer share a CPU,
// every hand-over is a context switch (and the producer's yield-spin while it waits steals the
// consumer's time); when they sit on different CPUs, it is a cache-line transfer. Which one a run
// gets changes from run to run. ThreadPlacement fixes it for every variant alike: the benchmark's
// own thread (the producer) on the first allowed CPU, every other thread of the process
// (consumers, runtime workers, client library threads) on the second, for the timed loop.
// WASMQ_BENCH_PLACEMENT=off leaves placement to the scheduler (to compare).

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <dirent.h>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace wasmq::bench {

class ThreadPlacement {
 public:
  ThreadPlacement() {
    if (const char* setting = std::getenv("WASMQ_BENCH_PLACEMENT"); setting && std::strcmp(setting, "off") == 0) return;
    if (sched_getaffinity(0, sizeof(allowed_), &allowed_) != 0) return;
    std::vector<int> cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu) {
      if (CPU_ISSET(static_cast<std::size_t>(cpu), &allowed_)) cpus.push_back(cpu);
    }
    if (cpus.size() < 2) return;
    const auto self = static_cast<pid_t>(syscall(SYS_gettid));
    for (pid_t thread : threads()) set(thread, thread == self ? cpus[0] : cpus[1]);
    active_ = true;
  }
  ~ThreadPlacement() {
    if (!active_) return;
    for (pid_t thread : threads()) (void)sched_setaffinity(thread, sizeof(allowed_), &allowed_);
  }
  ThreadPlacement(const ThreadPlacement&) = delete;
  ThreadPlacement& operator=(const ThreadPlacement&) = delete;

 private:
  static std::vector<pid_t> threads() {
    std::vector<pid_t> ids;
    if (DIR* tasks = opendir("/proc/self/task")) {
      while (const dirent* entry = readdir(tasks)) {
        if (entry->d_name[0] != '.') ids.push_back(static_cast<pid_t>(std::atoi(entry->d_name)));
      }
      closedir(tasks);
    }
    return ids;
  }
  static void set(pid_t thread, int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(static_cast<std::size_t>(cpu), &one);
    (void)sched_setaffinity(thread, sizeof(one), &one);
  }

  cpu_set_t allowed_{};
  bool active_ = false;
};

}  // namespace wasmq::bench
