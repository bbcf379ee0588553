#include "agent/sdk/list_page_reader.h"

#include <map>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/json_scanner.h"

namespace corral::agent {

namespace {

constexpr std::string_view kListSuffix = "List";

// The omitted paths as a tree of member names.
struct OmitNode {
  bool omit = false;
  std::map<std::string, OmitNode, std::less<>> children;
};

OmitNode omitTree(const std::vector<ItemPath>& paths) {
  OmitNode root;
  for (const ItemPath& path : paths) {
    if (path.empty()) {
      continue;
    }
    OmitNode* node = &root;
    for (const std::string& name : path) {
      node = &node->children[name];
    }
    node->omit = true;
  }
  return root;
}

// One page, read with a JsonScanner: the List's members other than kind, apiVersion, metadata
// and items, and the omitted members of the items, are checked and skipped without being built;
// each item is built on its own in a Json, handed over, and dropped.
class PageReader {
 public:
  PageReader(std::string_view text, const OmitNode& omit, const std::function<void(Json&)>& visit,
             const std::function<void(const std::string&)>& continued)
      : scanner_(text), omit_(omit), visit_(visit), continued_(continued) {}

  // Reads the page, visiting the items as they end. False when the text is not JSON (error()
  // says why) or not an object (notAnObject()).
  bool run() {
    if (!scanner_.skipByteOrderMark()) {
      return false;
    }
    char first = scanner_.peek();
    if (first != '{') {
      // A whole value of another kind is JSON, but no List.
      Json ignored;
      not_object_ = first == '[' || scanner_.readScalar(ignored);
      return scanner_.fail("expected an object");
    }
    (void)scanner_.consume('{');
    if (!scanner_.consume('}')) {
      do {
        if (!member()) {
          return false;
        }
      } while (scanner_.consume(','));
      if (!scanner_.consume('}')) {
        return scanner_.fail("expected ',' or '}'");
      }
    }
    return scanner_.expectEnd();
  }

  // Tells `continued_` the continue token, once.
  void announceContinue() {
    if (!announced_ && continued_) {
      announced_ = true;
      continued_(page_.continue_token);
    }
  }

  // After the parse: hands over the items held back because the List named its kind or
  // apiVersion only after them.
  void finish() {
    announceContinue();
    for (Json& item : held_) {
      deliver(item);
    }
    held_.clear();
  }

  const std::string& error() const { return scanner_.error(); }
  bool notAnObject() const { return not_object_; }
  ListPage& page() { return page_; }

 private:
  struct Frame {
    Json* value;           // the open object or array
    const OmitNode* omit;  // the omitted paths below it, or null for none
  };

  // One member of the List. Only kind, apiVersion, metadata.continue and the items are read.
  bool member() {
    std::string_view name;
    if (!scanner_.readKey(name, key_scratch_)) {
      return false;
    }
    char first = scanner_.peek();
    if (name == "kind") {
      seen_kind_ = true;
      if (first == '"') {
        std::string kind;
        if (!scanner_.readString(kind)) {
          return false;
        }
        if (kind.size() > kListSuffix.size() && kind.ends_with(kListSuffix)) {
          kind_ = kind.substr(0, kind.size() - kListSuffix.size());
        }
        return true;
      }
    } else if (name == "apiVersion") {
      seen_api_version_ = true;
      if (first == '"') {
        api_version_.clear();
        return scanner_.readString(api_version_);
      }
    } else if (name == "metadata" && (first == '{' || first == '[')) {
      bool read = first == '{' ? metadata() : scanner_.skipValue();
      if (read) {
        announceContinue();
      }
      return read;
    } else if (name == "items" && first == '[') {
      return items();
    }
    return scanner_.skipValue();
  }

  // The List's metadata, at its '{': only its own continue member is kept.
  bool metadata() {
    (void)scanner_.consume('{');
    if (scanner_.consume('}')) {
      return true;
    }
    do {
      std::string_view name;
      if (!scanner_.readKey(name, key_scratch_)) {
        return false;
      }
      bool read = name == "continue" && scanner_.peek() == '"'
                      ? (page_.continue_token.clear(), scanner_.readString(page_.continue_token))
                      : scanner_.skipValue();
      if (!read) {
        return false;
      }
    } while (scanner_.consume(','));
    return scanner_.consume('}') || scanner_.fail("expected ',' or '}'");
  }

  // The items array, at its '['.
  bool items() {
    (void)scanner_.consume('[');
    hold_ = !seen_kind_ || !seen_api_version_;
    if (scanner_.consume(']')) {
      return true;
    }
    do {
      Json value;
      if (!item(value, &omit_)) {
        return false;
      }
      if (hold_) {
        held_.push_back(std::move(value));
      } else {
        deliver(value);
      }
    } while (scanner_.consume(','));
    return scanner_.consume(']') || scanner_.fail("expected ',' or ']'");
  }

  // Builds the value at the cursor into `out`, leaving out the members at `omit`. Iterative, with
  // the open containers in `frames_`, so the depth of the text cannot exhaust the stack.
  bool item(Json& out, const OmitNode* omit) {
    enum class Next { kValue, kMember, kAfterValue };
    frames_.clear();
    Json* target = &out;
    const OmitNode* target_omit = omit;
    Next next = Next::kValue;
    while (true) {
      if (next == Next::kValue) {
        char first = scanner_.peek();
        if (first == '{' || first == '[') {
          (void)scanner_.consume(first);
          bool object = first == '{';
          *target = Json(object ? Json::value_t::object : Json::value_t::array);
          next = Next::kAfterValue;
          if (!scanner_.consume(object ? '}' : ']')) {
            frames_.push_back({target, target_omit});
            if (object) {
              next = Next::kMember;
            } else {
              target = &target->get_ref<Json::array_t&>().emplace_back();
              next = Next::kValue;
            }
          }
          continue;
        }
        if (!scanner_.readScalar(*target)) {
          return false;
        }
        next = Next::kAfterValue;
        continue;
      }
      if (next == Next::kMember) {
        const Frame& frame = frames_.back();
        std::string_view name;
        if (!scanner_.readKey(name, key_scratch_)) {
          return false;
        }
        const OmitNode* child = nullptr;
        if (frame.omit != nullptr) {
          auto it = frame.omit->children.find(name);
          child = it == frame.omit->children.end() ? nullptr : &it->second;
        }
        if (child != nullptr && child->omit) {
          if (!scanner_.skipValue()) {
            return false;
          }
          next = Next::kAfterValue;
          continue;
        }
        // A repeated name takes the last value, as nlohmann's parser does.
        auto& members = frame.value->get_ref<Json::object_t&>();
        target = &members[std::string(name)];
        target_omit = child;
        next = Next::kValue;
        continue;
      }
      // After a value: on to the next member or element, or close the container.
      if (frames_.empty()) {
        return true;
      }
      const Frame& frame = frames_.back();
      bool object = frame.value->is_object();
      if (scanner_.consume(',')) {
        if (object) {
          next = Next::kMember;
        } else {
          target = &frame.value->get_ref<Json::array_t&>().emplace_back();
          target_omit = frame.omit;
          next = Next::kValue;
        }
        continue;
      }
      if (!scanner_.consume(object ? '}' : ']')) {
        return scanner_.fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
      }
      frames_.pop_back();
    }
  }

  void deliver(Json& value) {
    if (value.is_object()) {
      if (!kind_.empty() && !value.contains("kind")) {
        value["kind"] = kind_;
      }
      if (!api_version_.empty() && !value.contains("apiVersion")) {
        value["apiVersion"] = api_version_;
      }
    }
    ++page_.items;
    visit_(value);
    value = Json();
  }

  JsonScanner scanner_;
  const OmitNode& omit_;
  const std::function<void(Json&)>& visit_;
  const std::function<void(const std::string&)>& continued_;
  bool announced_ = false;
  ListPage page_;
  std::string kind_;  // of the items, from the List's kind
  std::string api_version_;
  bool seen_kind_ = false;
  bool seen_api_version_ = false;
  bool hold_ = false;  // the items came before kind or apiVersion: keep them until the end
  std::vector<Json> held_;
  std::vector<Frame> frames_;  // item()'s open containers, kept for their capacity
  std::string key_scratch_;    // member names with escapes, decoded
  bool not_object_ = false;
};

}  // namespace

Result<ListPage> readListPage(std::string_view text, const std::vector<ItemPath>& omit,
                              const std::function<void(Json& item)>& visit, const std::string& what,
                              const std::function<void(const std::string&)>& continued) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    if (continued) {
      continued("");
    }
    return ListPage{};
  }
  OmitNode tree = omitTree(omit);
  PageReader reader(text, tree, visit, continued);
  if (!reader.run()) {
    if (reader.notAnObject()) {
      return internalError("the API server answered " + what + " with no object");
    }
    spdlog::debug("{}: the body is not JSON, {}", what, reader.error());
    return internalError("the API server answered " + what + " with a body that is not JSON");
  }
  reader.finish();
  return std::move(reader.page());
}

}  // namespace corral::agent
