#include "tests/k8s_emulator/recorded_errors.h"

#include "tests/k8s_emulator/fixture_loader.h"

namespace corral::testing::k8s {

namespace {

Result<ApiError> recordedJson(const std::string& fixtures_dir, const std::string& file) {
  auto text = readTextFile(fixtures_dir + "/errors/" + file);
  if (!text.isOk()) {
    return text.status();
  }
  Object status = Object::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!status.is_object() || !status.contains("code") || !status["code"].is_number_integer()) {
    return invalidArgument(file + " is not a Status body");
  }
  ApiError error;
  error.code = status["code"].get<int>();
  error.body = status.dump() + "\n";
  return error;
}

}  // namespace

Result<RecordedErrors> loadRecordedErrors(const std::string& fixtures_dir) {
  RecordedErrors errors;
  auto unauthorized = recordedJson(fixtures_dir, "401_unauthorized_microk8s_capture.json");
  auto not_found = recordedJson(fixtures_dir, "404_notfound_kubeclient.json");
  auto internal = recordedJson(fixtures_dir, "500_internal_kubeclient.json");
  for (const auto* loaded : {&unauthorized, &not_found, &internal}) {
    if (!loaded->isOk()) {
      return loaded->status();
    }
  }
  errors.unauthorized = *unauthorized;
  errors.not_found = *not_found;
  errors.internal = *internal;
  auto plain = readTextFile(fixtures_dir + "/errors/429_apf_plaintext_body.txt");
  if (!plain.isOk()) {
    return plain.status();
  }
  errors.too_many_plain.code = 429;
  errors.too_many_plain.body = *plain;
  errors.too_many_plain.content_type = "text/plain; charset=utf-8";
  return errors;
}

}  // namespace corral::testing::k8s
