#include "common/json.h"

namespace corral {

Result<Json> parseJson(std::string_view text) {
  // The exception carries the byte position of the error, which the message passes on.
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    return badRequest(std::string("malformed JSON: ") + e.what());
  }
}

}  // namespace corral
