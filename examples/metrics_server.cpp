// Serving the broker's counters for Prometheus: a broker at work, and its stats() in the Prometheus
// text format at http://127.0.0.1:<port>/metrics (Boost.Asio, one connection at a time).
//
//   wasmq_metrics_example [port]     serve until stopped (port 9464 by default; 0 picks a free one)
//   wasmq_metrics_example --once     serve one scrape on a free loopback port, scrape it from this
//                                    process, print the body and exit (what the tests run)

#include <wasmq/wasmq.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

namespace {

using boost::asio::ip::tcp;
using namespace std::chrono_literals;

/// A broker with some history: orders accepted, a poison order dead-lettered, a few waiting.
bool MakeSomeTraffic(wasmq::Broker& broker) {
  if (!broker.declare_queue("orders", {.max_deliveries = 2, .dead_letter = "orders.dead"}) ||
      !broker.declare_queue("orders.dead")) {
    return false;
  }
  std::atomic<int> settled{0};
  auto worker = broker.consume("orders", {.batch_size = 1}, [&settled](wasmq::Delivery& delivery) {
    if (delivery.message().payload().as_string() == "poison") {
      (void)delivery.reject("cannot parse");
    } else {
      (void)delivery.accept();
    }
    settled.fetch_add(1);
  });
  for (const char* order : {"ord-1", "ord-2", "poison", "ord-3"}) {
    if (!broker.publish("orders", order)) return false;
  }
  const wasmq::DrainReport drained = broker.drain(5s);  // finish them before the worker goes
  if (!drained.finished) std::cerr << drained << '\n';
  return drained.finished;
}

/// Answers one HTTP request on `socket`: the exposition at /metrics, 404 elsewhere.
void Answer(tcp::socket& socket, const wasmq::Broker& broker) {
  boost::asio::streambuf request;
  boost::system::error_code error;
  boost::asio::read_until(socket, request, "\r\n\r\n", error);
  if (error) return;
  std::string line(boost::asio::buffers_begin(request.data()), boost::asio::buffers_end(request.data()));
  const bool metrics = line.starts_with("GET /metrics ");
  std::string body = "not found\n";
  if (metrics) body = wasmq::prometheus_text(broker.stats()).value_or("");
  const std::string head = std::string(metrics ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 404 Not Found\r\n") +
                           "Content-Type: " + std::string(metrics ? wasmq::prometheus_content_type : "text/plain") +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(head + body), error);
  (void)socket.shutdown(tcp::socket::shutdown_both, error);  // "Connection: close": the client reads to the end
  (void)socket.close(error);
}

/// Scrapes http://127.0.0.1:<port>/metrics and returns the body.
std::string Scrape(unsigned short port) {
  boost::asio::io_context context;
  tcp::socket socket(context);
  socket.connect({boost::asio::ip::address_v4::loopback(), port});
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  boost::asio::streambuf response;
  boost::system::error_code error;
  boost::asio::read(socket, response, error);  // to the end: the server closes
  std::string text(boost::asio::buffers_begin(response.data()), boost::asio::buffers_end(response.data()));
  const auto body = text.find("\r\n\r\n");
  if (!text.starts_with("HTTP/1.1 200") || body == std::string::npos) return {};
  return text.substr(body + 4);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view mode = argc > 1 ? argv[1] : "";
  wasmq::ThreadPoolRuntime runtime(2);
  wasmq::Broker broker(runtime);
  if (!MakeSomeTraffic(broker)) return 1;

  boost::asio::io_context context;
  unsigned short port = mode.empty() ? 9464 : 0;
  if (!mode.empty() && mode != "--once" &&
      std::from_chars(mode.data(), mode.data() + mode.size(), port).ec != std::errc{}) {
    std::cerr << "usage: wasmq_metrics_example [port | --once]\n";
    return 2;
  }
  tcp::acceptor acceptor(context, {boost::asio::ip::address_v4::loopback(), port});
  const unsigned short bound = acceptor.local_endpoint().port();
  if (mode != "--once") {
    std::cerr << "serving http://127.0.0.1:" << bound << "/metrics\n";
    for (;;) {
      tcp::socket socket = acceptor.accept();
      Answer(socket, broker);
    }
  }
  std::string body;
  std::thread client([&body, bound] { body = Scrape(bound); });
  tcp::socket socket = acceptor.accept();
  Answer(socket, broker);
  client.join();
  std::fputs(body.c_str(), stdout);
  return body.empty() ? 1 : 0;
}
