package dev.forge.activities.sandbox.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  private static final String PRICE =
      "{\"input\":1.25,\"cached_input\":0.125,\"cache_write\":1.25,\"output\":10}";

  private static String table(String defaults, String models) {
    return "{\"version\":\"v1\",\"note\":\"check\",\"currency\":\"USD\",\"unit\":\"per million tokens\","
        + "\"defaults\":" + defaults + ",\"models\":" + models + "}";
  }

  @Test
  void shouldLoadThePinnedTable() {
    PriceTable table = PriceTable.pinned();

    assertThat(table.version()).isEqualTo(PriceTable.PINNED_VERSION).isEqualTo("2026-11-01");
    assertThat(table.models()).contains("gpt-5-codex", "o3", "claude-sonnet-4-5");
    assertThat(table.defaultModel(CodexJsonlCollector.FORMAT_NAME)).contains("gpt-5-codex");
    assertThat(table.price("gpt-5-codex")).contains(new PriceTable.Price(new BigDecimal("1.25"),
        new BigDecimal("0.125"), new BigDecimal("1.25"), new BigDecimal("10")));
    assertThat(table.price("gpt-9-ultra")).isEmpty();
    assertThat(table.price(null)).isEmpty();
  }

  @Test
  void shouldPriceEveryModelItLists() {
    PriceTable table = PriceTable.pinned();

    for (String model : table.models()) {
      PriceTable.Price price = table.price(model).orElseThrow();
      assertThat(price.cachedInput()).as(model).isLessThanOrEqualTo(price.input());
      assertThat(price.output()).as(model).isPositive();
    }
  }

  @Test
  void shouldComputeExactCosts() {
    PriceTable.Price price = new PriceTable.Price(new BigDecimal("3.00"), new BigDecimal("0.30"),
        new BigDecimal("3.75"), new BigDecimal("15.00"));

    // 1 x 3 + 2 x 0.3 + 3 x 3.75 + 4 x 15 = 74.85 per million
    assertThat(price.cost(1, 2, 3, 4)).isEqualByComparingTo("0.00007485");
    assertThat(price.cost(0, 0, 0, 0)).isZero();
  }

  @Test
  void shouldRefuseAnInvalidTable() {
    assertThatThrownBy(() -> PriceTable.parse("[]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> PriceTable.parse(table("{}", "{}"))).hasMessageContaining("empty");
    assertThatThrownBy(() -> PriceTable.parse(table("{}", "{\"m\":" + PRICE + "}")
        .replace("\"note\":\"check\",", ""))).hasMessageContaining("lacks note");
    assertThatThrownBy(() -> PriceTable.parse(table("{}", "{\"m\":" + PRICE + "}")
        .replace("\"note\"", "\"notes\""))).hasMessageContaining("unknown key notes");
    assertThatThrownBy(() -> PriceTable.parse(table("{}",
        "{\"m\":{\"input\":1,\"cached_input\":1,\"output\":1}}"))).hasMessageContaining("cache_write");
    assertThatThrownBy(() -> PriceTable.parse(table("{}",
        "{\"m\":{\"input\":-1,\"cached_input\":1,\"cache_write\":1,\"output\":1}}")))
        .hasMessageContaining("input");
    assertThatThrownBy(() -> PriceTable.parse(table("{}",
        "{\"m\":{\"input\":\"1\",\"cached_input\":1,\"cache_write\":1,\"output\":1}}")))
        .hasMessageContaining("input");
    assertThatThrownBy(() -> PriceTable.parse(table("{\"codex-jsonl\":\"other\"}",
        "{\"m\":" + PRICE + "}"))).hasMessageContaining("no price");
  }

  @Test
  void shouldRefuseATableWhoseVersionIsNotItsName() {
    assertThatThrownBy(() -> PriceTable.load("1999-01-01")).hasMessageContaining("not on the class path");
  }
}
