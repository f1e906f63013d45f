package dev.forge.activities.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forge.spec.loop.ModelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The endpoints the gateway forwards, one table for both providers: which are metered, where a
 * request names its model and output limit, where its newest tool results are, and how an error
 * is written in the provider's own format. Every other method and path is refused.
 */
enum ModelApi {
  /** Anthropic Messages: {@code max_tokens}, {@code tool_result} blocks, SSE events. */
  ANTHROPIC_MESSAGES(ModelProvider.ANTHROPIC, "POST", "/v1/messages", true),
  /** Anthropic's token count: free, no output. */
  ANTHROPIC_COUNT_TOKENS(ModelProvider.ANTHROPIC, "POST", "/v1/messages/count_tokens", false),
  /** OpenAI Responses: {@code max_output_tokens}, {@code function_call_output} items. */
  OPENAI_RESPONSES(ModelProvider.OPENAI, "POST", "/v1/responses", true),
  /** OpenAI Chat Completions: {@code max_completion_tokens}, {@code n}, {@code tool} messages. */
  OPENAI_CHAT(ModelProvider.OPENAI, "POST", "/v1/chat/completions", true);

  /** The query strings a CLI adds that may pass (Claude Code posts {@code ?beta=true}). */
  static final List<String> ALLOWED_QUERIES = List.of("", "beta=true");

  private final ModelProvider provider;
  private final String method;
  private final String path;
  private final boolean metered;

  ModelApi(ModelProvider provider, String method, String path, boolean metered) {
    this.provider = provider;
    this.method = method;
    this.path = path;
    this.metered = metered;
  }

  ModelProvider provider() {
    return provider;
  }

  String path() {
    return path;
  }

  /** Whether calls cost money: reserved against the budget, then metered. */
  boolean metered() {
    return metered;
  }

  /** The endpoint of {@code provider} at {@code method path}, if the gateway forwards it. */
  static Optional<ModelApi> of(ModelProvider provider, String method, String path) {
    for (ModelApi api : values()) {
      if (api.provider == provider && api.method.equals(method) && api.path.equals(path)) {
        return Optional.of(api);
      }
    }
    return Optional.empty();
  }

  /** What a refusal of an unknown path lists: this provider's endpoints. */
  static String endpoints(ModelProvider provider) {
    List<String> out = new ArrayList<>();
    for (ModelApi api : values()) {
      if (api.provider == provider) {
        out.add(api.method + " " + api.path);
      }
    }
    return String.join(", ", out);
  }

  /** The model the request names, or {@code null}. */
  static String model(JsonNode request) {
    JsonNode model = request.get("model");
    return model != null && model.isTextual() ? model.asText() : null;
  }

  /** The output limit the request names, if any. */
  OptionalLong maxOutput(JsonNode request) {
    for (String field : limitFields()) {
      JsonNode value = request.get(field);
      if (value != null && value.canConvertToLong() && value.isIntegralNumber()) {
        return OptionalLong.of(value.asLong());
      }
    }
    return OptionalLong.empty();
  }

  /** How many outputs the request asks for (Chat's {@code n}), at least 1. */
  int choices(JsonNode request) {
    JsonNode n = request.get("n");
    return this == OPENAI_CHAT && n != null && n.isIntegralNumber() ? Math.max(1, n.asInt()) : 1;
  }

  /** Whether the request asks for an event stream. */
  static boolean streamed(JsonNode request) {
    JsonNode stream = request.get("stream");
    return stream != null && stream.asBoolean(false);
  }

  /**
   * Sets the output limit the gateway reserved for, and what metering needs: Chat streams
   * include their usage. Anthropic's thinking budget must stay below {@code max_tokens}: it is
   * lowered with it, or thinking is turned off when under the API's minimum of 1024.
   */
  void limit(ObjectNode request, long maxOutput) {
    switch (this) {
      case ANTHROPIC_MESSAGES -> {
        request.put("max_tokens", maxOutput);
        JsonNode thinking = request.get("thinking");
        if (thinking instanceof ObjectNode t && t.path("budget_tokens").asLong(0) >= maxOutput) {
          if (maxOutput > 1024) {
            t.put("budget_tokens", maxOutput - 1);
          } else {
            request.remove("thinking");
          }
        }
      }
      case OPENAI_RESPONSES -> request.put("max_output_tokens", maxOutput);
      case OPENAI_CHAT -> {
        if (request.has("max_tokens") && !request.has("max_completion_tokens")) {
          request.put("max_tokens", maxOutput);
        } else {
          request.put("max_completion_tokens", maxOutput);
        }
        if (streamed(request)) {
          JsonNode options = request.get("stream_options");
          ObjectNode o = options instanceof ObjectNode on ? on : request.putObject("stream_options");
          o.put("include_usage", true);
        }
      }
      default -> { }
    }
  }

  private List<String> limitFields() {
    return switch (this) {
      case ANTHROPIC_MESSAGES -> List.of("max_tokens");
      case OPENAI_RESPONSES -> List.of("max_output_tokens");
      case OPENAI_CHAT -> List.of("max_completion_tokens", "max_tokens");
      default -> List.of();
    };
  }

  /** A tool result of the newest turn: the id of the call it answers, and its text. */
  record ToolResult(String toolUseId, String text) {}

  /**
   * The tool results the agent sends for the first time in this request: those of the last user
   * message (Anthropic), the trailing tool call outputs of the input (Responses), the trailing
   * {@code tool} messages (Chat). Earlier ones were checked when they were new.
   */
  List<ToolResult> newestToolResults(JsonNode request) {
    List<ToolResult> out = new ArrayList<>();
    switch (this) {
      case ANTHROPIC_MESSAGES -> {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.isArray() && messages.size() > 0
            ? messages.get(messages.size() - 1) : null;
        if (last != null && "user".equals(last.path("role").asText())
            && last.path("content").isArray()) {
          for (JsonNode block : last.get("content")) {
            if ("tool_result".equals(block.path("type").asText())) {
              out.add(new ToolResult(text(block.get("tool_use_id")), flatten(block.get("content"))));
            }
          }
        }
      }
      case OPENAI_RESPONSES -> {
        JsonNode input = request.path("input");
        for (int i = input.size() - 1; input.isArray() && i >= 0; i--) {
          JsonNode item = input.get(i);
          String type = item.path("type").asText();
          if (type.endsWith("_call_output")) {
            out.add(0, new ToolResult(text(item.get("call_id")), flatten(item.get("output"))));
          } else if (!type.endsWith("_call")) {
            break;
          }
        }
      }
      case OPENAI_CHAT -> {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; messages.isArray() && i >= 0; i--) {
          JsonNode message = messages.get(i);
          if (!"tool".equals(message.path("role").asText())) {
            break;
          }
          out.add(0, new ToolResult(text(message.get("tool_call_id")),
              flatten(message.get("content"))));
        }
      }
      default -> { }
    }
    return out;
  }

  /** The text of a result that is a string, or a list of text parts. */
  private static String flatten(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    if (content.isArray()) {
      for (JsonNode part : content) {
        JsonNode text = part.isTextual() ? part : part.get("text");
        if (text == null) {
          text = part.get("output");
        }
        if (text != null && text.isTextual()) {
          out.append(out.length() == 0 ? "" : "\n").append(text.asText());
        }
      }
      return out.toString();
    }
    return content.toString();
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  /**
   * An error the agent's SDK parses as the provider's own: Anthropic's {@code {"type":"error",
   * "error":{"type","message"}}}, OpenAI's {@code {"error":{"message","type","param","code"}}}.
   */
  static ObjectNode error(ModelProvider provider, int status, String rule, String message) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode body = json.objectNode();
    if (provider == ModelProvider.ANTHROPIC) {
      body.put("type", "error");
      ObjectNode error = body.putObject("error");
      error.put("type", anthropicType(status));
      error.put("message", message);
    } else {
      ObjectNode error = body.putObject("error");
      error.put("message", message);
      error.put("type", status == 413 || status == 400 ? "invalid_request_error"
          : status == 403 ? "permission_error" : "api_error");
      error.putNull("param");
      error.put("code", "forge_" + rule);
    }
    return body;
  }

  private static String anthropicType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      default -> "api_error";
    };
  }
}
