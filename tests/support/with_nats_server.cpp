// Runs a command beside a fresh nats-server (JetStream on, free loopback port, temporary store):
//   wasmq_with_nats_server <command> [args...]
// Every argument "{url}" becomes the server's URL. Exits with the command's status; prints the
// server's log when the command fails.

#include <wasmq/testing/nats_server.hpp>

#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <command> [args...]   ({url} in an argument becomes the server's URL)\n", argv[0]);
    return 2;
  }
  auto server = wasmq::testkit::NatsServer::start();
  if (!server) {
    std::fprintf(stderr, "could not start nats-server: %s\n", server.error().c_str());
    return 1;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  for (auto& arg : args) {
    if (arg == "{url}") arg = (*server)->url();
  }
  std::vector<char*> child_argv;
  for (auto& arg : args) child_argv.push_back(arg.data());
  child_argv.push_back(nullptr);
  pid_t pid = 0;
  if (::posix_spawnp(&pid, child_argv[0], nullptr, nullptr, child_argv.data(), environ) != 0) {
    std::fprintf(stderr, "could not run %s\n", child_argv[0]);
    return 1;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  if (code != 0) std::fprintf(stderr, "--- nats-server log ---\n%s", (*server)->log().c_str());
  return code;
}
