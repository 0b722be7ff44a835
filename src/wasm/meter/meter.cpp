#include <wasmq/wasm/meter.hpp>

#include "validate.hpp"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/error-formatter.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/stream.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

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

// A bulk instruction (memory.fill, memory.copy, memory.init and their table forms) does work in
// proportion to its length, not one step's worth: a loop of memory.fill over the whole memory
// would otherwise cost one step per 64 MiB written. Each is charged a step per KiB it moves, or
// per 128 table elements (8 bytes each to the host), before it runs. The length is the operand on
// top of the stack; it is kept there, copied through a local of the function's own:
//   local.tee len
//   local.get len; i32.const shift; i32.shr_u; global.get f; i32.gt_u
//   if i32.const 0; global.set f; unreachable end       (fuel 0: the runtime says "out of steps")
//   global.get f; local.get len; i32.const shift; i32.shr_u; i32.sub; global.set f
wabt::ExprList LengthCharge(wabt::Index fuel, wabt::Index length, std::uint32_t shift) {
  using namespace wabt;  // NOLINT(google-build-using-namespace): IR builder code
  auto cost = [&](ExprList& exprs) {
    exprs.push_back(std::make_unique<LocalGetExpr>(Var(length, Location())));
    exprs.push_back(std::make_unique<ConstExpr>(Const::I32(shift)));
    exprs.push_back(std::make_unique<BinaryExpr>(Opcode::I32ShrU));
  };
  ExprList charge;
  charge.push_back(std::make_unique<LocalTeeExpr>(Var(length, Location())));
  cost(charge);
  charge.push_back(std::make_unique<GlobalGetExpr>(Var(fuel, Location())));
  charge.push_back(std::make_unique<CompareExpr>(Opcode::I32GtU));
  auto trap = std::make_unique<IfExpr>();
  trap->true_.exprs.push_back(std::make_unique<ConstExpr>(Const::I32(0)));
  trap->true_.exprs.push_back(std::make_unique<GlobalSetExpr>(Var(fuel, Location())));
  trap->true_.exprs.push_back(std::make_unique<UnreachableExpr>());
  charge.push_back(std::move(trap));
  charge.push_back(std::make_unique<GlobalGetExpr>(Var(fuel, Location())));
  cost(charge);
  charge.push_back(std::make_unique<BinaryExpr>(Opcode::I32Sub));
  charge.push_back(std::make_unique<GlobalSetExpr>(Var(fuel, Location())));
  return charge;
}

/// The shift that turns a bulk instruction's length into steps, or nothing for other instructions.
std::optional<std::uint32_t> BulkShift(wabt::ExprType type) {
  switch (type) {
    case wabt::ExprType::MemoryFill:
    case wabt::ExprType::MemoryCopy:
    case wabt::ExprType::MemoryInit: return 10;  // bytes: a step per KiB
    case wabt::ExprType::TableFill:
    case wabt::ExprType::TableCopy:
    case wabt::ExprType::TableInit: return 7;  // elements: a step per 128
    default: return std::nullopt;
  }
}

/// Meters one function's body: a check at the top of every loop, a charge before every bulk
/// instruction.
class FunctionMeter {
 public:
  FunctionMeter(wabt::Func& func, wabt::Index fuel) : func_(func), fuel_(fuel) {}

  void Walk(wabt::ExprList& exprs) {
    using namespace wabt;  // NOLINT(google-build-using-namespace)
    for (auto expr = exprs.begin(); expr != exprs.end(); ++expr) {
      switch (expr->type()) {
        case ExprType::Block: Walk(cast<BlockExpr>(&*expr)->block.exprs); break;
        case ExprType::Loop: {
          auto& body = cast<LoopExpr>(&*expr)->block.exprs;
          Walk(body);
          PrependCheck(body, fuel_);
          break;
        }
        case ExprType::If: {
          auto* branch = cast<IfExpr>(&*expr);
          Walk(branch->true_.exprs);
          Walk(branch->false_);
          break;
        }
        case ExprType::Try: {
          auto* attempt = cast<TryExpr>(&*expr);
          Walk(attempt->block.exprs);
          for (auto& handler : attempt->catches) Walk(handler.exprs);
          break;
        }
        default:
          if (auto shift = BulkShift(expr->type())) {
            ExprList charge = LengthCharge(fuel_, LengthLocal(), *shift);
            exprs.splice(expr, charge);  // before the instruction; `expr` stays valid
          }
          break;
      }
    }
  }

 private:
  /// An i32 local of this function's own for the charge, added on first use.
  wabt::Index LengthLocal() {
    if (!length_) {
      length_ = func_.GetNumParamsAndLocals();
      func_.local_types.AppendDecl(wabt::Type::I32, 1);
    }
    return *length_;
  }

  wabt::Func& func_;
  wabt::Index fuel_;
  std::optional<wabt::Index> length_;
};

constexpr std::uint64_t kMaxMemory32Pages = 65536;                                  // 4 GiB
constexpr std::uint64_t kMaxTableSize = std::numeric_limits<std::uint32_t>::max();  // a u32 in the binary

/// Caps the elements of all of `module`'s tables together at `limit` (MeterOptions), or says why
/// the module is refused.
std::optional<std::string> CapTables(wabt::Module& module, std::uint64_t limit) {
  std::uint64_t initial = 0;
  for (const wabt::Table* table : module.tables) initial += table->elem_limits.initial;
  if (initial > limit) {
    return "the module's tables hold " + std::to_string(initial) + " elements at first, over the limit of " +
           std::to_string(limit);
  }
  // A limit past what a table's size can hold (32 bits) means no limit of the host's own; it is
  // not wrapped into a smaller one.
  std::uint64_t room = std::min(limit, kMaxTableSize) - std::min(initial, kMaxTableSize);
  for (wabt::Table* table : module.tables) {
    wabt::Limits& limits = table->elem_limits;
    const std::uint64_t wanted = limits.has_max ? limits.max - limits.initial : room;
    const std::uint64_t granted = std::min(wanted, room);
    limits.has_max = true;
    limits.max = limits.initial + granted;
    room -= granted;
  }
  return std::nullopt;
}

}  // namespace

std::expected<std::vector<std::uint8_t>, std::string> Meter(std::span<const std::uint8_t> wasm,
                                                            const MeterOptions& options) {
  using namespace wabt;  // NOLINT(google-build-using-namespace)
  if (std::string invalid; !detail::ValidateModule(wasm.data(), wasm.size(), &invalid)) {
    return std::unexpected("not a WebAssembly module: " + invalid);
  }
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
        // A limit past what a 32-bit memory can address means no limit of the host's own.
        memory->page_limits.max = std::min(*options.max_memory_pages, kMaxMemory32Pages);
      }
    }
  }

  if (options.max_table_elements) {
    if (auto refused = CapTables(module, *options.max_table_elements)) return std::unexpected(*refused);
  }

  // A module's own count cannot be trusted (nothing says its code ever decrements it), and a
  // module metered twice would trap at once on the first count, which no host sets.
  if (module.GetExport(std::string(kFuelExport)) != nullptr) {
    return std::unexpected("the module already exports '" + std::string(kFuelExport) +
                           "': give the module as it was before metering (a module's own step count is not trusted)");
  }
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
    FunctionMeter(*module.funcs[i], fuel).Walk(module.funcs[i]->exprs);
    PrependCheck(module.funcs[i]->exprs, fuel);
  }

  MemoryStream stream;
  WriteBinaryOptions write_options;
  if (Failed(WriteBinaryModule(&stream, &module, write_options))) return std::unexpected("cannot write the module");
  std::vector<std::uint8_t> metered = std::move(stream.output_buffer().data);
  // wabt 1.0.32 reads some encodings it cannot write back (a table of typed references, 0x6b, comes
  // out with its limits misplaced): what Meter returns is checked as any module is.
  if (std::string invalid; !detail::ValidateModule(metered.data(), metered.size(), &invalid)) {
    return std::unexpected("the module cannot be metered: wabt wrote it back invalid: " + invalid);
  }
  return metered;
}

}  // namespace wasmq::wasm
