#pragma once
/// The testing kit: link `wasmq::testing` and include this.

#include <wasmq/testing/faults.hpp>
#include <wasmq/testing/function_guest.hpp>
#include <wasmq/testing/harness.hpp>
#include <wasmq/testing/history.hpp>
#include <wasmq/testing/matchers.hpp>
#include <wasmq/testing/outcome.hpp>
#include <wasmq/testing/responder.hpp>
#include <wasmq/testing/text.hpp>
#include <wasmq/testing/traffic.hpp>
