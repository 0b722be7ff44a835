#include <wasmq/testing/nats_server.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <vector>

namespace wasmq::testkit {

namespace {

/// strerror, without its shared buffer.
std::string error_text(int error) { return std::generic_category().message(error); }

bool executable_file(const std::filesystem::path& path) { return ::access(path.c_str(), X_OK) == 0; }

/// A port nobody listens on now: bound, read, released. The server binds it a moment later.
std::expected<std::uint16_t, std::string> free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::unexpected(std::string("socket: ") + error_text(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  const std::string error = ok ? "" : std::string("bind: ") + error_text(errno);
  ::close(fd);
  if (!ok) return std::unexpected(error);
  return ntohs(address.sin_port);
}

}  // namespace

std::string find_nats_server(const NatsServerOptions& options) {
  if (!options.executable.empty()) return executable_file(options.executable) ? options.executable : "";
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the environment is read, never changed, by the kit
  if (const char* configured = std::getenv("WASMQ_NATS_SERVER"); configured != nullptr && *configured != '\0') {
    return executable_file(configured) ? configured : "";
  }
  std::vector<std::filesystem::path> directories;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): as above
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::stringstream parts(path);
    for (std::string part; std::getline(parts, part, ':');) {
      if (!part.empty()) directories.emplace_back(part);
    }
  }
  directories.emplace_back("/usr/sbin");
  directories.emplace_back("/usr/local/bin");
  for (const auto& directory : directories) {
    if (executable_file(directory / "nats-server")) return directory / "nats-server";
  }
  return {};
}

std::expected<std::unique_ptr<NatsServer>, std::string> NatsServer::start(NatsServerOptions options) {
  std::unique_ptr<NatsServer> server(new NatsServer());
  server->options_ = std::move(options);
  // mkdtemp's template: it replaces the six X with a unique suffix and creates the directory.
  std::string pattern = (std::filesystem::temp_directory_path() / "wasmq-nats-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return std::unexpected(std::string("mkdtemp: ") + error_text(errno));
  server->store_dir_ = pattern;
  auto port = free_loopback_port();
  if (!port) return std::unexpected(port.error());
  server->port_ = *port;
  if (auto launched = server->launch(); !launched) return std::unexpected(launched.error());
  return server;
}

NatsServer::~NatsServer() {
  stop();
  std::error_code ignored;
  if (!store_dir_.empty()) std::filesystem::remove_all(store_dir_, ignored);
}

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsServer::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

std::expected<void, std::string> NatsServer::restart() {
  stop();
  return launch();
}

void NatsServer::drain(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      output_ended_ = true;
      printed_.notify_all();
      break;
    }
    log_.append(buffer, static_cast<std::size_t>(n));
    printed_.notify_all();
  }
  ::close(fd);
}

std::expected<void, std::string> NatsServer::launch() {
  const std::string executable = find_nats_server(options_);
  if (executable.empty()) {
    return std::unexpected(
        std::string("no nats-server binary (install Debian's nats-server, or set WASMQ_NATS_SERVER)"));
  }
  std::vector<std::string> args = {executable, "-a", "127.0.0.1", "-p", std::to_string(port_)};
  if (options_.jetstream) args.insert(args.end(), {"-js", "-sd", store_dir_ + "/store"});
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe: ") + error_text(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  pid_t pid = 0;
  const int error = ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (error != 0) {
    ::close(out[0]);
    return std::unexpected("could not run " + executable + ": " + error_text(error));
  }
  pid_ = pid;
  std::size_t log_offset = 0;
  {
    std::lock_guard lock(mutex_);
    log_offset = log_.size();  // a restart appends to the same log
    output_ended_ = false;
  }
  reader_ = std::thread([this, fd = out[0]] { drain(fd); });

  // Ready when the server says so; it prints its log as it starts.
  std::unique_lock lock(mutex_);
  const bool done = printed_.wait_for(lock, options_.ready_timeout, [&] {
    return output_ended_ || log_.find("Server is ready", log_offset) != std::string::npos;
  });
  const std::string printed = log_.substr(log_offset);
  if (done && !output_ended_) return {};
  lock.unlock();
  stop();
  return std::unexpected(
      std::string(done ? "nats-server exited before it was ready" : "nats-server was not ready in time") +
      "; it printed:\n" + printed);
}

void NatsServer::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    {
      // Its output ends when it exits; a server that ignores SIGTERM for 5 s is killed.
      std::unique_lock lock(mutex_);
      if (!printed_.wait_for(lock, std::chrono::seconds(5), [&] { return output_ended_; })) ::kill(pid_, SIGKILL);
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }
  if (reader_.joinable()) reader_.join();
}

}  // namespace wasmq::testkit
