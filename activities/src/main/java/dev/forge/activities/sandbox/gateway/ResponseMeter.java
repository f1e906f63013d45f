package dev.forge.activities.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a provider's response as it passes through, byte for byte unchanged: the usage it reports
 * and the tool calls the model asks for. An event stream is read event by event as chunks arrive
 * (an event may be split across chunks, a chunk may hold many); a JSON body is kept, up to a
 * limit, and read at the end. Not thread-safe: one response, one meter, fed in order.
 */
final class ResponseMeter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tool call: the provider's id, the tool's name, and its input (an object or a string). */
  record ToolUse(String id, String name, JsonNode input) {}

  private final ModelApi api;
  private final boolean stream;
  private final long keepLimit;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean overflow;

  private String model;
  private boolean usageSeen;
  private long input;
  private long cached;
  private long cacheWrite;
  private long output;
  private final Map<String, ToolUse> tools = new LinkedHashMap<>();
  // Tool calls whose input still streams, by index (Anthropic block, Chat choice:index).
  private final Map<String, String[]> open = new LinkedHashMap<>();
  private final Map<String, StringBuilder> openInput = new LinkedHashMap<>();

  ResponseMeter(ModelApi api, boolean stream, long keepLimit) {
    this.api = api;
    this.stream = stream;
    this.keepLimit = keepLimit;
  }

  /** The next bytes of the body. */
  void feed(byte[] bytes) {
    if (overflow) {
      return;
    }
    if (!stream) {
      if (pending.size() + (long) bytes.length > keepLimit) {
        overflow = true;
        pending.reset();
        return;
      }
      pending.writeBytes(bytes);
      return;
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        pending.write(bytes, start, i - start);
        line(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        start = i + 1;
      }
    }
    pending.write(bytes, start, bytes.length - start);
    if (pending.size() > keepLimit) {
      overflow = true;
      pending.reset();
    }
  }

  /** The body ended: reads a JSON body, or an event stream's last unterminated line. */
  void end() {
    if (overflow) {
      return;
    }
    String rest = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    if (stream) {
      line(rest);
    } else if (!rest.isBlank()) {
      try {
        body(JSON.readTree(rest));
      } catch (IOException e) {
        // Not JSON: no usage was reported, and the caller charges the reservation.
      }
    }
  }

  private void line(String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (!line.startsWith("data:")) {
      return;
    }
    String data = line.substring(5).trim();
    if (data.isEmpty() || data.equals("[DONE]")) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(data);
    } catch (IOException e) {
      return;
    }
    switch (api) {
      case ANTHROPIC_MESSAGES -> anthropicEvent(event);
      case OPENAI_RESPONSES -> responsesEvent(event);
      case OPENAI_CHAT -> chatChunk(event);
      default -> { }
    }
  }

  private void body(JsonNode body) {
    switch (api) {
      case ANTHROPIC_MESSAGES -> anthropicMessage(body);
      case OPENAI_RESPONSES -> responsesResponse(body);
      case OPENAI_CHAT -> {
        model(body);
        chatUsage(body.get("usage"));
        for (JsonNode choice : body.path("choices")) {
          for (JsonNode call : choice.path("message").path("tool_calls")) {
            JsonNode function = call.path("function");
            tool(text(call, "id"), text(function, "name"), parsed(text(function, "arguments")));
          }
        }
      }
      default -> { }
    }
  }

  // --- Anthropic Messages

  private void anthropicMessage(JsonNode message) {
    model(message);
    anthropicUsage(message.get("usage"));
    for (JsonNode block : message.path("content")) {
      String type = block.path("type").asText();
      if (type.equals("tool_use") || type.equals("server_tool_use")) {
        tool(text(block, "id"), text(block, "name"), block.get("input"));
      }
    }
  }

  private void anthropicEvent(JsonNode event) {
    switch (event.path("type").asText()) {
      case "message_start" -> anthropicMessage(event.path("message"));
      case "message_delta" -> anthropicUsage(event.get("usage"));
      case "content_block_start" -> {
        JsonNode block = event.path("content_block");
        String type = block.path("type").asText();
        if (type.equals("tool_use") || type.equals("server_tool_use")) {
          String index = event.path("index").asText();
          open.put(index, new String[] {text(block, "id"), text(block, "name")});
          openInput.put(index, new StringBuilder());
        }
      }
      case "content_block_delta" -> {
        StringBuilder input = openInput.get(event.path("index").asText());
        JsonNode delta = event.path("delta");
        if (input != null && "input_json_delta".equals(delta.path("type").asText())) {
          input.append(delta.path("partial_json").asText());
        }
      }
      case "content_block_stop" -> close(event.path("index").asText());
      default -> { }
    }
  }

  private void anthropicUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    usageSeen = true;
    // message_delta's counts are cumulative: the largest seen is the call's.
    input = Math.max(input, usage.path("input_tokens").asLong(0));
    cacheWrite = Math.max(cacheWrite, usage.path("cache_creation_input_tokens").asLong(0));
    cached = Math.max(cached, usage.path("cache_read_input_tokens").asLong(0));
    output = Math.max(output, usage.path("output_tokens").asLong(0));
  }

  // --- OpenAI Responses

  private void responsesEvent(JsonNode event) {
    String type = event.path("type").asText();
    if (type.equals("response.output_item.done")) {
      responsesItem(event.path("item"));
    } else if (type.equals("response.completed") || type.equals("response.incomplete")
        || type.equals("response.failed")) {
      responsesResponse(event.path("response"));
    } else if (type.equals("response.created")) {
      model(event.path("response"));
    }
  }

  private void responsesResponse(JsonNode response) {
    model(response);
    JsonNode usage = response.get("usage");
    if (usage != null && usage.isObject()) {
      usageSeen = true;
      long cachedTokens = usage.path("input_tokens_details").path("cached_tokens").asLong(0);
      cached = Math.max(cached, cachedTokens);
      // OpenAI's input count includes the cached tokens; Forge's excludes them.
      input = Math.max(input, usage.path("input_tokens").asLong(0) - cachedTokens);
      output = Math.max(output, usage.path("output_tokens").asLong(0));
    }
    for (JsonNode item : response.path("output")) {
      responsesItem(item);
    }
  }

  private void responsesItem(JsonNode item) {
    String type = item.path("type").asText();
    String id = text(item, "call_id") != null ? text(item, "call_id") : text(item, "id");
    switch (type) {
      case "function_call" -> tool(id, text(item, "name"), parsed(text(item, "arguments")));
      case "custom_tool_call" -> tool(id, text(item, "name"), item.get("input"));
      case "local_shell_call" -> tool(id, "local_shell", item.path("action"));
      case "web_search_call" -> tool(id, "web_search", item.path("action"));
      default -> { }
    }
  }

  // --- OpenAI Chat Completions

  private void chatChunk(JsonNode chunk) {
    model(chunk);
    chatUsage(chunk.get("usage"));
    for (JsonNode choice : chunk.path("choices")) {
      String choiceIndex = choice.path("index").asText("0");
      for (JsonNode call : choice.path("delta").path("tool_calls")) {
        String key = choiceIndex + ":" + call.path("index").asText("0");
        JsonNode function = call.path("function");
        if (!open.containsKey(key)) {
          open.put(key, new String[] {text(call, "id"), text(function, "name")});
          openInput.put(key, new StringBuilder());
        }
        String[] known = open.get(key);
        if (known[1] == null) {
          known[1] = text(function, "name");
        }
        String arguments = text(function, "arguments");
        if (arguments != null) {
          openInput.get(key).append(arguments);
        }
      }
      if (!choice.path("finish_reason").isMissingNode() && !choice.path("finish_reason").isNull()) {
        for (String key : List.copyOf(open.keySet())) {
          if (key.startsWith(choiceIndex + ":")) {
            close(key);
          }
        }
      }
    }
  }

  private void chatUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    usageSeen = true;
    long cachedTokens = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    cached = Math.max(cached, cachedTokens);
    input = Math.max(input, usage.path("prompt_tokens").asLong(0) - cachedTokens);
    output = Math.max(output, usage.path("completion_tokens").asLong(0));
  }

  // --- common

  private void close(String key) {
    String[] call = open.remove(key);
    StringBuilder input = openInput.remove(key);
    if (call != null) {
      tool(call[0], call[1], parsed(input == null ? "" : input.toString()));
    }
  }

  private void tool(String id, String name, JsonNode input) {
    if (name == null) {
      return;
    }
    String key = id != null ? id : name + "#" + tools.size();
    tools.putIfAbsent(key, new ToolUse(id, name, input));
  }

  private void model(JsonNode node) {
    String named = text(node, "model");
    if (named != null && !named.isBlank()) {
      model = named;
    }
  }

  private static JsonNode parsed(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** Whether the response reported its usage. */
  boolean usageSeen() {
    return usageSeen;
  }

  String model() {
    return model;
  }

  long inputTokens() {
    return Math.max(0, input);
  }

  long cachedInputTokens() {
    return cached;
  }

  long cacheWriteTokens() {
    return cacheWrite;
  }

  long outputTokens() {
    return output;
  }

  /** The tool calls in the order the model made them; an unfinished streamed one included. */
  List<ToolUse> tools() {
    for (String key : List.copyOf(open.keySet())) {
      close(key);
    }
    return new ArrayList<>(tools.values());
  }
}
