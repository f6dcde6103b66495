// The `fsm` actor type: a finite state machine driven by one field of each event.
//
//   params:
//     key: door
//     s0: closed
//     table: {closed: {open: opened, lock: locked}, opened: {close: closed}, locked: {unlock:
//     closed}}
//
// Each event moves the state along `table[state][value of key]`. Decisions: an input with no
// transition from the current state leaves the state as it is; a number or boolean input matches
// the transition written as its text (1 matches "1", true matches "true"); a state written with
// no transitions (`done:` or `done: {}`) is final. OnEvent counts events without the key (or with
// a null, object or list there) as ignored; UpdateState, which the engine runs per the `state`
// functions, moves the state. Emits nothing. State: {"s": current state}.
#include <array>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "common/text.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

struct Machine {
  FieldPath key;
  std::vector<std::string> states;
  std::map<std::string, std::size_t, std::less<>> index;  // state name -> position in states
  std::vector<std::map<std::string, std::size_t, std::less<>>> transitions;  // per state
  std::size_t start = 0;
};

// The input an event gives: its key's value as text, or why there is none.
std::variant<std::string, IgnoreReason> InputOf(const Event& event, const FieldPath& key) {
  const Json* found = key.Resolve(event.value());
  if (!found) return IgnoreReason::kMissingField;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number() || found->is_boolean()) return found->dump();
  return IgnoreReason::kWrongType;
}

class FsmActor final : public Actor {
 public:
  explicit FsmActor(std::shared_ptr<const Machine> machine)
      : machine_(std::move(machine)), state_(machine_->start) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    auto input = InputOf(event, machine_->key);
    if (const auto* reason = std::get_if<IgnoreReason>(&input)) context.Ignore(*reason);
  }

  void UpdateState(const Event& event) override {
    auto input = InputOf(event, machine_->key);
    const auto* text = std::get_if<std::string>(&input);
    if (!text) return;
    const auto& moves = machine_->transitions[state_];
    if (auto it = moves.find(*text); it != moves.end()) state_ = it->second;
  }

  void ResetState() override { state_ = machine_->start; }

  // A snapshot naming a state this table does not have (the definition changed) starts over at s0.
  void RestoreState(const Json& snapshot) override {
    state_ = machine_->start;
    if (!snapshot.is_object()) return;
    auto s = snapshot.find("s");
    if (s == snapshot.end() || !s->is_string()) return;
    if (auto it = machine_->index.find(s->get_ref<const std::string&>());
        it != machine_->index.end()) {
      state_ = it->second;
    }
  }

  Json State() const override {
    Json state = Json::object();
    state["s"] = machine_->states[state_];
    return state;
  }

 private:
  std::shared_ptr<const Machine> machine_;
  std::size_t state_;
};

std::string StateList(const Machine& machine) {
  std::vector<std::string_view> names(machine.states.begin(), machine.states.end());
  if (names.size() > 10) names.resize(10);
  std::string list = JoinAlternatives(names, "and");
  if (machine.states.size() > 10) list += ", ...";
  return list;
}

// "...; did you mean \"x\"?" when a state name is close to `name`.
std::string Suggestion(const Machine& machine, std::string_view name) {
  std::vector<std::string_view> names(machine.states.begin(), machine.states.end());
  std::string_view nearest = NearestWord(name, names);
  return nearest.empty() ? std::string() : fmt::format("; did you mean \"{}\"?", nearest);
}

void ReadTable(ParamReader& params, Machine& machine) {
  const Node* table = params.Object("table");
  if (!table) return;
  if (table->entries().empty()) {
    params.Error("table",
                 "is empty; map each state to its transitions, such as "
                 "{closed: {open: opened}, opened: {close: closed}}");
    return;
  }
  for (const Node::Entry& entry : table->entries()) {
    machine.index.emplace(entry.key, machine.states.size());
    machine.states.push_back(entry.key);
  }
  machine.transitions.resize(machine.states.size());
  std::string table_path = params.PathOf("table");
  for (std::size_t i = 0; i < table->entries().size(); ++i) {
    const Node::Entry& state = table->entries()[i];
    std::string state_path = definition::JoinPath(table_path, state.key);
    if (state.value.IsNull()) continue;  // a final state
    if (!state.value.IsMap()) {
      params.ErrorAt(state.value, state_path,
                     fmt::format("expected a mapping from input to next state, such as "
                                 "{{open: opened}} (or nothing for a final state), found {}",
                                 state.value.Describe()));
      continue;
    }
    for (const Node::Entry& move : state.value.entries()) {
      std::string move_path = definition::JoinPath(state_path, move.key);
      if (!move.value.IsScalar() || move.value.IsNull()) {
        params.ErrorAt(
            move.value, move_path,
            fmt::format("expected the name of the next state, found {}", move.value.Describe()));
        continue;
      }
      const std::string& target = move.value.text();
      auto it = machine.index.find(target);
      if (it == machine.index.end()) {
        params.ErrorAt(move.value, move_path,
                       fmt::format("goes to {}, which is not a state of `table` (states: {}){}; "
                                   "add it to `table` (`{}: {{}}` for a final state) or correct "
                                   "the name",
                                   QuoteForMessage(target), StateList(machine),
                                   Suggestion(machine, target), target));
        continue;
      }
      machine.transitions[i].emplace(move.key, it->second);
    }
  }
}

ActorCreator Configure(ParamReader& params) {
  auto machine = std::make_shared<Machine>();
  machine->key = params.Path("key");
  ReadTable(params, *machine);
  bool has_s0 = params.Has("s0");
  std::string s0 = params.String("s0");
  if (has_s0 && !machine->states.empty()) {
    if (auto it = machine->index.find(s0); it != machine->index.end()) {
      machine->start = it->second;
    } else {
      params.Error("s0",
                   fmt::format("{} is not a state of `table` (states: {}){}; the machine "
                               "must start in one of them",
                               QuoteForMessage(s0), StateList(*machine), Suggestion(*machine, s0)));
    }
  }
  if (!params.Finish()) return nullptr;
  return [machine = std::shared_ptr<const Machine>(std::move(machine))](const ActorEnv& /*env*/) {
    return std::make_unique<FsmActor>(machine);
  };
}

constexpr std::array<std::string_view, 1> kStateFields = {"s"};

}  // namespace

extern const ActorType kFsmType;
const ActorType kFsmType{
    .name = "fsm",
    .summary = "a finite state machine: moves its state `s` by each event's `key` along `table`",
    .stateful = true,
    .state_fields = kStateFields,
    .configure = Configure,
};

}  // namespace coral::actors
