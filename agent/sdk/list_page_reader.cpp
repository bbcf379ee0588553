#include "agent/sdk/list_page_reader.h"

#include <map>
#include <utility>

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

// nlohmann's SAX events for one page. The List object is depth 1, its members' containers depth
// 2 (the "items" array among them), and each item is built below depth 2, one at a time, in
// `item_`; `stack_` holds the containers of the item still open.
class PageHandler {
 public:
  PageHandler(const OmitNode& omit, const std::function<void(Json&)>& visit,
              const std::function<void(const std::string&)>& continued)
      : omit_(omit), visit_(visit), continued_(continued) {}

  bool null() { return scalar(Json(nullptr)); }
  bool boolean(bool value) { return scalar(Json(value)); }
  bool number_integer(Json::number_integer_t value) { return scalar(Json(value)); }
  bool number_unsigned(Json::number_unsigned_t value) { return scalar(Json(value)); }
  bool number_float(Json::number_float_t value, const std::string& /*text*/) {
    return scalar(Json(value));
  }
  bool binary(Json::binary_t& value) { return scalar(Json(std::move(value))); }
  bool string(std::string& value) {
    if (skip_ == 0 && !skip_next_ && stack_.empty()) {
      if (depth_ == 1 && member_ == "kind") {
        std::string_view kind = value;
        if (kind.size() > kListSuffix.size() && kind.ends_with(kListSuffix)) {
          kind_ = kind.substr(0, kind.size() - kListSuffix.size());
        }
        return true;
      }
      if (depth_ == 1 && member_ == "apiVersion") {
        api_version_ = value;
        return true;
      }
      if (depth_ == 2 && member_ == "metadata" && metadata_member_ == "continue") {
        page_.continue_token = value;
        return true;
      }
    }
    // Copied, not taken: the lexer keeps its buffer's capacity for the next token.
    return scalar(Json(value));
  }

  bool start_object(std::size_t /*size*/) { return open(Json::value_t::object); }
  bool start_array(std::size_t /*size*/) { return open(Json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& name) {
    if (skip_ > 0) {
      return true;
    }
    if (!stack_.empty()) {
      const OmitNode* node = stack_.back().omit;
      const OmitNode* child = nullptr;
      if (node != nullptr) {
        auto it = node->children.find(name);
        child = it == node->children.end() ? nullptr : &it->second;
      }
      if (child != nullptr && child->omit) {
        skip_next_ = true;
        return true;
      }
      pending_key_ = name;
      pending_omit_ = child;
      return true;
    }
    if (depth_ == 1) {
      member_ = name;
      if (name == "kind") {
        seen_kind_ = true;
      } else if (name == "apiVersion") {
        seen_api_version_ = true;
      }
    } else if (depth_ == 2 && member_ == "metadata") {
      metadata_member_ = name;
    }
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const Json::exception& /*error*/) {
    syntax_error_ = true;
    return false;
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

  bool syntaxError() const { return syntax_error_; }
  bool notAnObject() const { return not_object_; }
  ListPage& page() { return page_; }

 private:
  struct Frame {
    Json* value;
    const OmitNode* omit;  // the omitted paths below this container, or null for none
  };

  bool open(Json::value_t type) {
    ++depth_;
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    if (skip_next_) {
      skip_next_ = false;
      skip_ = 1;
      return true;
    }
    if (!stack_.empty()) {
      const OmitNode* omit = stack_.back().value->is_array() ? stack_.back().omit : pending_omit_;
      stack_.push_back({&add(Json(type)), omit});
      return true;
    }
    if (depth_ == 1) {
      if (type != Json::value_t::object) {
        not_object_ = true;
        return false;
      }
      return true;
    }
    if (depth_ == 2 && member_ == "items" && type == Json::value_t::array) {
      in_items_ = true;
      hold_ = !seen_kind_ || !seen_api_version_;
      return true;
    }
    if (depth_ == 3 && in_items_) {
      item_ = Json(type);
      stack_.push_back({&item_, &omit_});
    }
    return true;  // other members of the List are walked through and not kept
  }

  bool close() {
    --depth_;
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    if (!stack_.empty()) {
      stack_.pop_back();
      if (stack_.empty()) {
        item(item_);
      }
      return true;
    }
    if (depth_ == 1) {
      in_items_ = false;
      if (member_ == "metadata") {
        announceContinue();
      }
    }
    return true;
  }

  bool scalar(Json value) {
    if (skip_ > 0) {
      return true;
    }
    if (skip_next_) {
      skip_next_ = false;
      return true;
    }
    if (!stack_.empty()) {
      add(std::move(value));
      return true;
    }
    if (depth_ == 0) {
      not_object_ = true;
      return false;
    }
    if (depth_ == 2 && in_items_) {
      item(value);  // an item that is not an object: the caller decides what it is worth
    }
    return true;
  }

  // Adds `value` to the innermost open container of the item, under the pending key in an object.
  Json& add(Json value) {
    Json& container = *stack_.back().value;
    if (container.is_array()) {
      auto& array = container.get_ref<Json::array_t&>();
      array.push_back(std::move(value));
      return array.back();
    }
    Json& slot = container[std::move(pending_key_)];
    slot = std::move(value);
    return slot;
  }

  void item(Json& value) {
    if (hold_) {
      held_.push_back(std::move(value));
    } else {
      deliver(value);
    }
    value = Json();
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
  }

  const OmitNode& omit_;
  const std::function<void(Json&)>& visit_;
  const std::function<void(const std::string&)>& continued_;
  bool announced_ = false;
  ListPage page_;
  int depth_ = 0;                // containers open, the List object included
  std::string member_;           // the List's member being read (depth 1)
  std::string metadata_member_;  // the member of the List's metadata being read (depth 2)
  std::string kind_;             // of the items, from the List's kind
  std::string api_version_;
  bool seen_kind_ = false;
  bool seen_api_version_ = false;
  bool in_items_ = false;
  bool hold_ = false;  // the items came before kind or apiVersion: keep them until the end
  std::vector<Json> held_;
  Json item_;
  std::vector<Frame> stack_;
  std::string pending_key_;
  const OmitNode* pending_omit_ = nullptr;
  bool skip_next_ = false;  // the next value is omitted
  int skip_ = 0;            // containers open inside an omitted value
  bool syntax_error_ = false;
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
  PageHandler handler(tree, visit, continued);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(text.begin(), text.end(), &handler);
  } catch (const Json::exception&) {
    parsed = false;
  }
  if (handler.notAnObject()) {
    return internalError("the API server answered " + what + " with no object");
  }
  if (!parsed || handler.syntaxError()) {
    return internalError("the API server answered " + what + " with a body that is not JSON");
  }
  handler.finish();
  return std::move(handler.page());
}

}  // namespace corral::agent
