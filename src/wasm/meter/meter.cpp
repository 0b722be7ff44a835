#include <wasmq/wasm/meter.hpp>

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/error-formatter.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/stream.h>

namespace wasmq::wasm {

namespace {

// global.get f; i32.eqz; if unreachable end; global.get f; i32.const 1; i32.sub; global.set f
void PrependCheck(wabt::ExprList& exprs, wabt::Index fuel) {
  using namespace wabt;  // NOLINT(google-build-using-namespace): IR builder code
  auto trap = std::make_unique<IfExpr>();
  trap->true_.exprs.push_back(std::make_unique<UnreachableExpr>());
  ExprList check;
  check.push_back(std::make_unique<GlobalGetExpr>(Var(fuel, Location())));
  check.push_back(std::make_unique<UnaryExpr>(Opcode::I32Eqz));
  check.push_back(std::move(trap));
  check.push_back(std::make_unique<GlobalGetExpr>(Var(fuel, Location())));
  check.push_back(std::make_unique<ConstExpr>(Const::I32(1)));
  check.push_back(std::make_unique<BinaryExpr>(Opcode::I32Sub));
  check.push_back(std::make_unique<GlobalSetExpr>(Var(fuel, Location())));
  exprs.splice(exprs.begin(), check);
}

void MeterLoops(wabt::ExprList& exprs, wabt::Index fuel) {
  using namespace wabt;  // NOLINT(google-build-using-namespace)
  for (Expr& expr : exprs) {
    switch (expr.type()) {
      case ExprType::Block: MeterLoops(cast<BlockExpr>(&expr)->block.exprs, fuel); break;
      case ExprType::Loop: {
        auto& body = cast<LoopExpr>(&expr)->block.exprs;
        MeterLoops(body, fuel);
        PrependCheck(body, fuel);
        break;
      }
      case ExprType::If: {
        auto* branch = cast<IfExpr>(&expr);
        MeterLoops(branch->true_.exprs, fuel);
        MeterLoops(branch->false_, fuel);
        break;
      }
      case ExprType::Try: {
        auto* attempt = cast<TryExpr>(&expr);
        MeterLoops(attempt->block.exprs, fuel);
        for (auto& handler : attempt->catches) MeterLoops(handler.exprs, fuel);
        break;
      }
      default: break;
    }
  }
}

}  // namespace

std::expected<std::vector<std::uint8_t>, std::string> Meter(std::span<const std::uint8_t> wasm,
                                                            const MeterOptions& options) {
  using namespace wabt;  // NOLINT(google-build-using-namespace)
  Features features;
  Errors errors;
  Module module;
  const ReadBinaryOptions read_options(features, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                                       /*fail_on_custom_section_error=*/false);
  if (Failed(ReadBinaryIr("guest.wasm", wasm.data(), wasm.size(), read_options, &errors, &module))) {
    return std::unexpected("not a WebAssembly module: " + FormatErrorsToString(errors, Location::Type::Binary));
  }

  if (options.max_memory_pages) {
    for (Memory* memory : module.memories) {
      if (memory->page_limits.initial > *options.max_memory_pages) {
        return std::unexpected("the module's initial memory of " + std::to_string(memory->page_limits.initial) +
                               " pages is over the limit of " + std::to_string(*options.max_memory_pages));
      }
      if (!memory->page_limits.has_max || memory->page_limits.max > *options.max_memory_pages) {
        memory->page_limits.has_max = true;
        memory->page_limits.max = *options.max_memory_pages;
      }
    }
  }

  if (module.GetExport(std::string(kFuelExport)) == nullptr) {
    auto global = std::make_unique<GlobalModuleField>();
    global->global.type = Type::I32;
    global->global.mutable_ = true;
    global->global.init_expr.push_back(std::make_unique<ConstExpr>(Const::I32(0)));
    module.AppendField(std::move(global));
    const auto fuel = static_cast<Index>(module.globals.size() - 1);

    auto exported = std::make_unique<ExportModuleField>();
    exported->export_.name = std::string(kFuelExport);
    exported->export_.kind = ExternalKind::Global;
    exported->export_.var = Var(fuel, Location());
    module.AppendField(std::move(exported));

    for (Index i = module.num_func_imports; i < module.funcs.size(); ++i) {
      MeterLoops(module.funcs[i]->exprs, fuel);
      PrependCheck(module.funcs[i]->exprs, fuel);
    }
  }

  MemoryStream stream;
  WriteBinaryOptions write_options;
  if (Failed(WriteBinaryModule(&stream, &module, write_options))) return std::unexpected("cannot write the module");
  return std::move(stream.output_buffer().data);
}

}  // namespace wasmq::wasm
