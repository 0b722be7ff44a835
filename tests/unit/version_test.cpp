#include <wasmq/version.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(VersionTest, TheStringSpellsTheNumbers) {
  EXPECT_EQ(std::string(WASMQ_VERSION_STRING), std::to_string(WASMQ_VERSION_MAJOR) + "." +
                                                   std::to_string(WASMQ_VERSION_MINOR) + "." +
                                                   std::to_string(WASMQ_VERSION_PATCH));
}

}  // namespace
