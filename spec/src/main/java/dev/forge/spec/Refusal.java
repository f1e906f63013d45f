package dev.forge.spec;

/**
 * One rule of the loop specification that an input breaks. The API answers it as one entry of its
 * problem body's {@code errors}; {@code ./forge validate} prints it as {@code field: rule: detail};
 * the workflow and the activities carry it as data.
 *
 * @param field the dotted path of the offending field, e.g. {@code sandbox.limits.memory} or
 *     {@code loop.checks[1][0]}; {@code forge.yml} for the document as a whole
 * @param rule a short, stable name of the rule broken: {@code required}, {@code unknown},
 *     {@code type}, {@code range}, {@code format}, {@code secret}, {@code path}, {@code unsupported},
 *     {@code reserved}, {@code forbidden}, {@code duplicate}, {@code conflict}, {@code outside_root},
 *     {@code policy}, {@code syntax}
 * @param detail a sentence for a human: what is wrong, with the offending value where it is safe
 *     to repeat, and what would be right
 */
public record Refusal(String field, String rule, String detail) {

  /** The refusal as {@code ./forge validate} prints it. */
  @Override
  public String toString() {
    return field + ": " + rule + ": " + detail;
  }
}
