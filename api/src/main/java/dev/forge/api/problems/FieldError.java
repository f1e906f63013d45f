package dev.forge.api.problems;

import dev.forge.spec.Refusal;

/**
 * One thing wrong with an input.
 *
 * @param field the dotted path of the offending field, e.g. {@code sandbox.limits.memory} or
 *     {@code config.loop.checks[1][0]}
 * @param rule a short, stable name of the rule broken: {@code required}, {@code unknown},
 *     {@code type}, {@code range}, {@code format}, {@code secret}, {@code path}, {@code unsupported},
 *     {@code reserved}, {@code forbidden}, {@code duplicate}, {@code conflict}, {@code outside_root}
 * @param message a sentence for a human: what is wrong, with the offending value where it is safe
 *     to repeat, and what would be right
 */
public record FieldError(String field, String rule, String message) {

  /** A refusal of the loop specification, as the API answers it. */
  public static FieldError of(Refusal refusal) {
    return new FieldError(refusal.field(), refusal.rule(), refusal.detail());
  }
}
