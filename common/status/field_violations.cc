#include "common/status/field_violations.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"

namespace helhed {

std::string TruncateUtf8(absl::string_view text, size_t max) {
  if (text.size() <= max) {
    return std::string(text);
  }
  constexpr absl::string_view kEllipsis = "...";
  size_t cut = max > kEllipsis.size() ? max - kEllipsis.size() : 0;
  // Back to the start of a character (never split a multi-byte sequence).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
    --cut;
  }
  return absl::StrCat(text.substr(0, cut), kEllipsis.substr(0, max - cut));
}

namespace {

// The texts payload: per violation with a text, "<index>\x1f<id>\x1f<name>
// \x1f<value>..." and entries separated by \x1e. Ids, names and values are
// ours (catalogue ids, field names, numbers), never control characters.
constexpr char kEntrySep = '\x1e';
constexpr char kPartSep = '\x1f';

std::string EncodeTexts(const std::vector<FieldViolation>& violations, size_t total) {
  std::string out = absl::StrCat(total);
  for (size_t i = 0; i < violations.size(); ++i) {
    if (!violations[i].text.has_value()) continue;
    out.push_back(kEntrySep);
    absl::StrAppend(&out, i, std::string(1, kPartSep), violations[i].text->id);
    for (const auto& [name, value] : violations[i].text->args) {
      absl::StrAppend(&out, std::string(1, kPartSep), name, std::string(1, kPartSep), value);
    }
  }
  return out;
}

void DecodeTexts(absl::string_view payload, std::vector<FieldViolation>& violations) {
  for (absl::string_view entry : absl::StrSplit(payload, kEntrySep)) {
    std::vector<std::string> parts = absl::StrSplit(entry, kPartSep);
    size_t index = 0;
    if (parts.size() < 2 || !absl::SimpleAtoi(parts[0], &index) || index >= violations.size()) {
      continue;
    }
    i18n::Text text{parts[1], {}};
    for (size_t p = 2; p + 1 < parts.size(); p += 2) text.args.emplace_back(parts[p], parts[p + 1]);
    violations[index].text = std::move(text);
  }
}

}  // namespace

absl::Status FieldViolations::ToStatus(i18n::Language language) const {
  if (violations_.empty()) {
    return absl::OkStatus();
  }
  google::rpc::BadRequest bad;
  std::string message = absl::StrCat(i18n::Message(language, "common.invalid_request"), ": ");
  size_t listed = 0;
  size_t in_message = 0;
  bool message_full = false;
  for (const FieldViolation& v : violations_) {
    if (listed == kMaxReportedViolations) break;
    google::rpc::BadRequest::FieldViolation fv;
    fv.set_field(TruncateUtf8(v.field, kMaxViolationFieldBytes));
    fv.set_description(
        TruncateUtf8(v.text.has_value() ? i18n::Render(language, *v.text) : v.description,
                     kMaxViolationDescriptionBytes));
    // The first always; the next while the details stay within their size.
    if (listed > 0 && bad.ByteSizeLong() + fv.ByteSizeLong() + 3 > kMaxViolationDetailsBytes) {
      break;
    }
    const std::string part =
        absl::StrCat(listed > 0 ? "; " : "", fv.field(), ": ", fv.description());
    // Room is kept for the " (and N more)" at the end.
    if (!message_full && message.size() + part.size() + 24 <= kMaxStatusMessageBytes) {
      message += part;
      ++in_message;
    } else if (listed == 0) {
      message += TruncateUtf8(part, kMaxStatusMessageBytes - message.size() - 24);
      ++in_message;
      message_full = true;
    } else {
      message_full = true;
    }
    *bad.add_field_violations() = std::move(fv);
    ++listed;
  }
  if (total() > in_message) {
    absl::StrAppend(&message, " ",
                    i18n::Message(language, "common.and_more",
                                  {{"count", absl::StrCat(total() - in_message)}}));
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestPayloadUrl, absl::Cord(bad.SerializeAsString()));
  if (std::any_of(violations_.begin(), violations_.end(),
                  [](const FieldViolation& v) { return v.text.has_value(); })) {
    std::string texts = EncodeTexts(violations_, total());
    status.SetPayload(kViolationTextsPayloadUrl, absl::Cord(std::move(texts)));
  }
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

absl::Status InvalidField(std::string field, i18n::Text text) {
  FieldViolations v;
  v.Add(std::move(field), std::move(text));
  return v.ToStatus();
}

absl::Status TextError(absl::StatusCode code, i18n::Text text) {
  absl::Status status(code, i18n::Render(i18n::Language::kEnglish, text));
  std::string encoded = text.id;
  for (const auto& [name, value] : text.args) {
    absl::StrAppend(&encoded, std::string(1, kPartSep), name, std::string(1, kPartSep), value);
  }
  status.SetPayload(kMessageTextPayloadUrl, absl::Cord(std::move(encoded)));
  return status;
}

std::optional<i18n::Text> MessageTextOf(const absl::Status& status) {
  auto payload = status.GetPayload(kMessageTextPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(std::string(*payload), kPartSep);
  i18n::Text text{parts[0], {}};
  for (size_t p = 1; p + 1 < parts.size(); p += 2) text.args.emplace_back(parts[p], parts[p + 1]);
  return text;
}

size_t ViolationTotalOf(const absl::Status& status) {
  size_t total = 0;
  if (auto texts = status.GetPayload(kViolationTextsPayloadUrl); texts.has_value()) {
    const std::string text(*texts);
    if (absl::SimpleAtoi(text.substr(0, text.find(kEntrySep)), &total)) return total;
  }
  return FieldViolationsOf(status).size();
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestPayloadUrl);
  if (!payload.has_value()) {
    return out;
  }
  google::rpc::BadRequest bad;
  if (!bad.ParseFromString(std::string(*payload))) {
    return out;
  }
  for (const auto& fv : bad.field_violations()) {
    out.push_back({fv.field(), fv.description(), std::nullopt});
  }
  if (auto texts = status.GetPayload(kViolationTextsPayloadUrl); texts.has_value()) {
    DecodeTexts(std::string(*texts), out);
  }
  return out;
}

}  // namespace helhed
