// The `generator` actor type: emits objects built from a `format` template at a steady rate.
//
// Template strings, recognised after trimming spaces (anything else is copied as written):
//   "N(mu, sigma)"  a normal draw          "U(max)"  uniform in [0, max)
//   "['a', 'b', 3]" a uniform choice (quoted items are strings, unquoted ones must be numbers)
// A string of one of these shapes that does not parse (`N(1)`) is a definition error rather than
// silently copied text. Nested mappings and lists are templated recursively.
//
// Pacing: event k (0-based) is due at start + delay + k/rate. Each timer fire emits everything
// due by Now() (at most kMaxBurst, then it fires again at once), and the timer never fires more
// often than every kMinInterval, so high rates come out in bursts rather than being limited by
// timer resolution. The first event goes out as soon as the delay has passed.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/random.h"
#include "common/text.h"
#include "definition/diagnostics.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

constexpr std::uint64_t kMaxBurst = 10'000;
constexpr std::chrono::nanoseconds kMinInterval = std::chrono::milliseconds(1);
constexpr double kMaxDelaySeconds = 1e9;  // ~31 years: keeps every time point in range
constexpr double kNeverNs = 4e18;         // offsets beyond this are clamped (a tiny rate)

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Splits "a, b, c" at top-level commas (commas inside quotes do not split).
std::vector<std::string_view> SplitArguments(std::string_view text) {
  std::vector<std::string_view> parts;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ',') {
      parts.push_back(Trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  parts.push_back(Trim(text.substr(start)));
  return parts;
}

// One node of a compiled `format`.
struct Template {
  enum class Kind { kCopy, kNormal, kUniform, kChoice, kObject, kArray };
  Kind kind = Kind::kCopy;
  Json value;    // kCopy
  double a = 0;  // kNormal: mu; kUniform: max
  double b = 0;  // kNormal: sigma
  std::vector<Json> choices;
  std::vector<std::pair<std::string, Template>> fields;  // kObject
  std::vector<Template> items;                           // kArray

  bool IsConstant() const { return kind == Kind::kCopy; }

  Json Instantiate(Random& random) const {
    switch (kind) {
      case Kind::kCopy:
        return value;
      case Kind::kNormal:
        return random.Normal(a, b);
      case Kind::kUniform:
        return random.Uniform() * a;
      case Kind::kChoice:
        return choices[random.Below(choices.size())];
      case Kind::kObject: {
        Json object = Json::object();
        for (const auto& [key, field] : fields) object[key] = field.Instantiate(random);
        return object;
      }
      case Kind::kArray: {
        Json array = Json::array();
        for (const Template& item : items) array.push_back(item.Instantiate(random));
        return array;
      }
    }
    return nullptr;
  }
};

class TemplateCompiler {
 public:
  explicit TemplateCompiler(ParamReader& params) : params_(params) {}

  Template Compile(const Node& node, const std::string& path) {
    Template result;
    if (node.IsMap()) {
      result.kind = Template::Kind::kObject;
      bool constant = true;
      for (const Node::Entry& entry : node.entries()) {
        Template field = Compile(entry.value, definition::JoinPath(path, entry.key));
        constant = constant && field.IsConstant();
        result.fields.emplace_back(entry.key, std::move(field));
      }
      if (constant) return Copy(node);
      return result;
    }
    if (node.IsSequence()) {
      result.kind = Template::Kind::kArray;
      bool constant = true;
      for (std::size_t i = 0; i < node.items().size(); ++i) {
        Template item = Compile(node.items()[i], definition::IndexPath(path, i));
        constant = constant && item.IsConstant();
        result.items.push_back(std::move(item));
      }
      if (constant) return Copy(node);
      return result;
    }
    auto text = node.AsString();
    if (!text) return Copy(node);
    std::string_view trimmed = Trim(*text);
    if (trimmed.starts_with("N(") && trimmed.ends_with(")")) {
      return Normal(node, path, trimmed.substr(2, trimmed.size() - 3));
    }
    if (trimmed.starts_with("U(") && trimmed.ends_with(")")) {
      return Uniform(node, path, trimmed.substr(2, trimmed.size() - 3));
    }
    if (trimmed.starts_with("[") && trimmed.ends_with("]")) {
      return Choice(node, path, trimmed.substr(1, trimmed.size() - 2));
    }
    return Copy(node);
  }

 private:
  static Template Copy(const Node& node) {
    Template result;
    result.value = node.ToJson();
    return result;
  }

  Template Normal(const Node& node, const std::string& path, std::string_view inside) {
    Template result;
    result.kind = Template::Kind::kNormal;
    std::vector<std::string_view> args = SplitArguments(inside);
    std::optional<double> mu = args.size() == 2 ? ParseNumber(args[0]) : std::nullopt;
    std::optional<double> sigma = args.size() == 2 ? ParseNumber(args[1]) : std::nullopt;
    if (!mu || !sigma) {
      params_.ErrorAt(node, path,
                      fmt::format("{} is not a normal distribution: write N(mean, standard "
                                  "deviation) with two numbers, such as \"N(100, 15)\"",
                                  QuoteForMessage(node.text())));
    } else if (*sigma < 0) {
      params_.ErrorAt(node, path,
                      fmt::format("the standard deviation in {} must be 0 or more, found {}",
                                  QuoteForMessage(node.text()), *sigma));
    } else {
      result.a = *mu;
      result.b = *sigma;
    }
    return result;
  }

  Template Uniform(const Node& node, const std::string& path, std::string_view inside) {
    Template result;
    result.kind = Template::Kind::kUniform;
    std::optional<double> max = ParseNumber(inside);
    if (!max || *max <= 0) {
      params_.ErrorAt(node, path,
                      fmt::format("{} is not a uniform distribution: write U(max) with one number "
                                  "greater than 0, such as \"U(100)\"",
                                  QuoteForMessage(node.text())));
    } else {
      result.a = *max;
    }
    return result;
  }

  Template Choice(const Node& node, const std::string& path, std::string_view inside) {
    Template result;
    result.kind = Template::Kind::kChoice;
    bool ok = !Trim(inside).empty();
    for (std::string_view item : SplitArguments(inside)) {
      if (!ok) break;
      if (item.size() >= 2 && (item.front() == '\'' || item.front() == '"') &&
          item.back() == item.front()) {
        std::string_view content = item.substr(1, item.size() - 2);
        if (content.find(item.front()) != std::string_view::npos) ok = false;
        result.choices.emplace_back(std::string(content));
      } else if (Node number = Node::Scalar(std::string(item), false, {}); number.AsNumber()) {
        result.choices.push_back(number.ToJson());
      } else {
        ok = false;
      }
    }
    if (!ok) {
      params_.ErrorAt(node, path,
                      fmt::format("{} is not a choice: write quoted values (or numbers) separated "
                                  "by commas inside brackets, such as \"['red', 'green']\"",
                                  QuoteForMessage(node.text())));
      result.choices.assign(1, nullptr);
    }
    return result;
  }

  ParamReader& params_;
};

struct GeneratorConfig {
  Template format;
  Json format_json;
  double rate = 1;
  Json rate_json = 1;  // rate and delay as written (10, not 10.0), for State()
  Json delay_json = 0;
  std::optional<std::uint64_t> times;  // unbounded when absent
  double delay = 0;                    // seconds
  std::optional<std::uint64_t> seed;
};

class GeneratorActor : public Actor {
 public:
  GeneratorActor(std::shared_ptr<const GeneratorConfig> config, const ActorEnv& env)
      : config_(std::move(config)),
        random_(
            Random::SeedForCopy(config_->seed ? *config_->seed : Random::SeedFromDevice(), env)) {}

  void OnStart(ActorContext& context) override {
    auto delay = std::chrono::nanoseconds(std::llround(config_->delay * 1e9));
    start_ = context.Now() + std::chrono::duration_cast<Clock::duration>(delay);
    base_ = count_;
    if (Done()) {
      context.Finished();
      return;
    }
    context.StartTimer(delay);
  }

  void OnEvent(const Event& /*event*/, ActorContext& /*context*/) override {
    // A generator produces events on its own; events sent to it are not used.
  }

  void OnTimer(ActorContext& context) override {
    Clock::time_point now = context.Now();
    std::uint64_t due = DueBy(now);
    std::uint64_t emitted = count_ - base_;
    std::uint64_t burst = due > emitted ? std::min(due - emitted, kMaxBurst) : 0;
    for (std::uint64_t i = 0; i < burst; ++i) {
      context.Emit(Event::FromJson(config_->format.Instantiate(random_)));
      ++count_;
    }
    if (Done()) {
      context.Finished();
      return;
    }
    if (count_ - base_ < due) {  // the burst was capped: continue at once
      context.StartTimer(std::chrono::nanoseconds(0));
      return;
    }
    auto next = start_ + std::chrono::duration_cast<Clock::duration>(OffsetOf(count_ - base_));
    auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(next - now);
    context.StartTimer(std::max(wait, kMinInterval));
  }

  Json State() const override {
    Json state = Json::object();
    state["rate"] = config_->rate_json;
    state["times"] = config_->times ? Json(*config_->times) : Json(nullptr);
    state["delay"] = config_->delay_json;
    state["format"] = config_->format_json;
    state["count"] = count_;
    return state;
  }

  // Puts back the count, so that a bounded generator restarted from a snapshot emits only what
  // is left of `times`.
  void RestoreState(const Json& snapshot) override {
    if (!snapshot.is_object()) return;
    auto it = snapshot.find("count");
    if (it != snapshot.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0) {
      count_ = it->get<std::uint64_t>();
    }
  }

 private:
  bool Done() const { return config_->times && count_ >= *config_->times; }

  // When event k (counted from start_) is due, relative to start_.
  std::chrono::nanoseconds OffsetOf(std::uint64_t k) const {
    double ns = std::ceil(static_cast<double>(k) * 1e9 / config_->rate);
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::min(ns, kNeverNs)));
  }

  // How many events (counted from start_) are due by `now`, capped by `times`.
  std::uint64_t DueBy(Clock::time_point now) const {
    if (now < start_) return 0;
    auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_);
    double estimate = std::floor(static_cast<double>(elapsed.count()) * config_->rate / 1e9) + 1;
    std::uint64_t n = static_cast<std::uint64_t>(std::min(estimate, kNeverNs));
    while (n > 0 && OffsetOf(n - 1) > elapsed) --n;
    while (OffsetOf(n) <= elapsed && n < static_cast<std::uint64_t>(kNeverNs)) ++n;
    if (config_->times) n = std::min(n, *config_->times - std::min(*config_->times, base_));
    return n;
  }

  std::shared_ptr<const GeneratorConfig> config_;
  Random random_;
  Clock::time_point start_;
  std::uint64_t base_ = 0;   // count_ at start (non-zero after RestoreState)
  std::uint64_t count_ = 0;  // events emitted in all
};

// `times`: a whole number of events, 0 or more.
std::optional<std::uint64_t> ReadTimes(ParamReader& timer) {
  const Node* found = timer.Get("times");
  if (!found) return std::nullopt;
  auto integer = found->AsInteger();
  if (!integer || *integer < 0) {
    timer.Error("times", fmt::format("expected a whole number of events, 0 or more, such as 100 "
                                     "(leave `times` out for no limit), found {}",
                                     found->Describe()));
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*integer);
}

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<GeneratorConfig>();
  if (const Node* format = params.Object("format")) {
    TemplateCompiler compiler(params);
    config->format = compiler.Compile(*format, params.PathOf("format"));
    config->format_json = format->ToJson();
  }
  ParamReader timer = params.Nested("timer", /*required=*/true);
  if (timer.node()) {  // a missing or malformed `timer` is reported once, by Nested
    const Node* rate = timer.Get("rate");
    config->rate = timer.Number("rate");
    if (rate) config->rate_json = rate->ToJson();
    if (rate && rate->AsNumber() && config->rate <= 0) {
      timer.Error("rate", fmt::format("must be greater than 0 (events per second, such as 10 or "
                                      "0.5), found {}",
                                      rate->text()));
    }
    config->times = ReadTimes(timer);
    if (auto delay = timer.OptionalNumber("delay")) {
      if (*delay < 0 || *delay > kMaxDelaySeconds) {
        timer.Error("delay", fmt::format("must be from 0 to {:.0f} seconds (fractions allowed, "
                                         "such as 1.5), found {}",
                                         kMaxDelaySeconds, timer.Get("delay")->text()));
      } else {
        config->delay = *delay;
      config->delay_json = timer.Get("delay")->ToJson();
      }
    }
    timer.Finish();
  }
  config->seed = ReadSeed(params);
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const GeneratorConfig>(std::move(config))](const ActorEnv& env) {
    return std::make_unique<GeneratorActor>(config, env);
  };
}

constexpr std::string_view kStateFields[] = {"rate", "times", "delay", "format", "count"};

}  // namespace

extern const ActorType kGeneratorType;
const ActorType kGeneratorType{
    .name = "generator",
    .summary =
        "emits objects built from a `format` template (N(mu, sigma), U(max), choices) at "
        "`timer.rate` per second",
    .stateful = false,
    .state_fields = kStateFields,
    .configure = Configure,
};

}  // namespace coral::actors
