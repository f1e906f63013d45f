package dev.forge.activities.sandbox.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Strict JSON reading for usage reports: exact decimals, no duplicate keys, nothing after the
 * value, and numbers that must be non-negative.
 */
final class UsageJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private UsageJson() {}

  /** The parsed value, or empty when the text is not JSON. */
  static Optional<JsonNode> parse(String text) {
    try {
      return Optional.ofNullable(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /**
   * A token count: absent or {@code null} is 0; anything but a non-negative integer that fits a
   * long is malformed.
   */
  static long count(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new MalformedUsageException(field + " is not a non-negative integer");
    }
    return node.longValue();
  }

  /** A non-negative amount of money, or empty when the field is absent. */
  static Optional<BigDecimal> money(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isNumber() || node.decimalValue().signum() < 0) {
      throw new MalformedUsageException(field + " is not a non-negative number");
    }
    return Optional.of(node.decimalValue());
  }

  /** A usage report that cannot be read. Internal to the collectors; never leaves them. */
  static final class MalformedUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedUsageException(String message) {
      super(message, null, false, false);
    }
  }
}
