package dev.forge.activities.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forge.activities.sandbox.egress.Cidr;
import dev.forge.activities.sandbox.egress.ModelRoute;
import dev.forge.activities.sandbox.gateway.CostLedger.Reservation;
import dev.forge.activities.sandbox.usage.PriceTable.Price;
import dev.forge.activities.sandbox.usage.PriceTable;
import dev.forge.spec.loop.AgentModel.ToolResults;
import dev.forge.spec.loop.ModelProvider;
import dev.forge.spec.sandbox.Destination;
import dev.forge.workflows.prompt.UntrustedText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider;

/**
 * Forge's model gateway: the one way a sandbox reaches a model provider, and the only holder of
 * the provider's key. Built on Reactor Netty (Netty's HTTP codec on both sides: no HTTP parsing of
 * Forge's own).
 *
 * <p>A call arrives from a step's egress proxy with the step's {@link StepGrant} token (the proxy
 * adds it; the sandbox never sees it). The gateway then, in order: refuses a path that is not one
 * of {@link ModelApi}'s, a body over the size limit, a body that is not JSON; passes the newest
 * tool results through FORGE layer 1 ({@link UntrustedText}), flagging or refusing; reserves the
 * call's worst case against the step's budget, lowering the output limit to what fits or refusing
 * it; reads the key from the host variable the loop names, at this moment; resolves the provider's
 * host (again at most 5 s after the last lookup) and refuses private, loopback, link-local and
 * other {@link Destination#REFUSED_RANGES} addresses (unless the operator trusts the upstream),
 * connecting to the address it checked; and
 * relays the answer byte for byte as it streams, reading its usage and tool calls on the way.
 * Every call, forwarded or refused, is recorded once it ended.
 */
public final class ModelGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATED = Pattern.compile("-(?:\\d{8}|\\d{4}-\\d{2}-\\d{2})$");

  /** Request headers never forwarded: the sandbox's placeholders, hop-by-hop and routing ones. */
  private static final Set<String> DROPPED_REQUEST = Set.of("authorization", "x-api-key",
      "host", "content-length", "accept-encoding", "connection", "keep-alive", "te", "trailer",
      "transfer-encoding", "upgrade", "proxy-authorization", "proxy-connection", "via", "forwarded",
      "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "cookie", "cache-control",
      "surrogate-capability",
      ModelRoute.TOKEN_HEADER.toLowerCase());
  private static final Set<String> DROPPED_RESPONSE = Set.of("connection", "keep-alive",
      "transfer-encoding", "upgrade", "trailer", "set-cookie", "content-length");
  /** How long an upstream's checked address is used before its name is looked up again. */
  private static final long ADDRESS_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final GatewaySettings settings;
  private final ModelCallRecorder recorder;
  private final Function<String, String> hostEnv;
  private final Clock clock;
  private final PriceTable prices = PriceTable.pinned();
  private final List<Cidr> refused =
      Destination.REFUSED_RANGES.stream().map(r -> Cidr.parse(r.cidr())).toList();
  private final Map<String, StepGrant> grants = new ConcurrentHashMap<>();
  private final ConnectionProvider pool;
  private final Map<ModelProvider, HttpClient> clients;
  private final Map<URI, CheckedAddress> addresses = new ConcurrentHashMap<>();
  private final DisposableServer server;

  private ModelGateway(GatewaySettings settings, ModelCallRecorder recorder,
      Function<String, String> hostEnv, Clock clock) {
    this.settings = settings;
    this.recorder = recorder;
    this.hostEnv = hostEnv;
    this.clock = clock;
    this.pool = ConnectionProvider.builder("forge-model-gateway").maxConnections(500)
        .pendingAcquireMaxCount(-1).build();
    HttpClient client = HttpClient.create(pool)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .responseTimeout(settings.responseTimeout())
        .followRedirect(false)
        .keepAlive(true);
    this.clients = clients(client, settings.upstreams());
    this.server = HttpServer.create()
        .host(settings.bindAddress())
        .port(settings.port())
        .idleTimeout(settings.responseTimeout())
        .handle(this::handle)
        .bindNow();
  }

  /**
   * Each upstream's client, configured once: Reactor Netty keys its connection pools by the
   * client's configuration, so a client secured per call (a new SslContext each time) got a pool,
   * a connection and a TLS handshake of its own for every call. All TLS upstreams share one
   * SslContext.
   */
  private static Map<ModelProvider, HttpClient> clients(HttpClient plain,
      Map<ModelProvider, URI> upstreams) {
    Map<ModelProvider, HttpClient> clients = new EnumMap<>(ModelProvider.class);
    HttpClient secure = null;
    for (Map.Entry<ModelProvider, URI> upstream : upstreams.entrySet()) {
      boolean tls = "https".equals(upstream.getValue().getScheme());
      if (tls && secure == null) {
        secure = plain.secure(
            SslProvider.builder().sslContext(Http11SslContextSpec.forClient()).build());
      }
      clients.put(upstream.getKey(), tls ? secure : plain);
    }
    return clients;
  }

  /**
   * Starts a gateway.
   *
   * @param recorder receives every call, tool call and finding
   * @param hostEnv reads the worker's environment (the keys), at each call
   */
  public static ModelGateway start(GatewaySettings settings, ModelCallRecorder recorder,
      Function<String, String> hostEnv, Clock clock) {
    return new ModelGateway(settings, recorder, hostEnv, clock);
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /** The address it listens on. */
  public String host() {
    return settings.bindAddress();
  }

  /** Opens a step's grant; its token is valid until the grant is closed. */
  public StepGrant open(StepBinding binding) {
    StepGrant[] holder = new StepGrant[1];
    StepGrant grant = new StepGrant(binding, () -> grants.remove(holder[0].token()));
    holder[0] = grant;
    grants.put(grant.token(), grant);
    return grant;
  }

  @Override
  public void close() {
    server.disposeNow();
    pool.disposeLater().block(settings.connectTimeout());
  }

  // ---------------------------------------------------------------------------------------------

  /** One call's state from arrival to its record. */
  private final class Call {
    final String id = UUID.randomUUID().toString();
    final Instant startedAt = clock.instant();
    final long startNanos = System.nanoTime();
    final StepGrant grant;
    final String method;
    final String path;
    ModelApi api;
    String model;
    boolean streamed;
    Reservation reservation;
    String key;
    volatile long firstByteNanos;
    final AtomicBoolean recorded = new AtomicBoolean();

    Call(StepGrant grant, String method, String path) {
      this.grant = grant;
      this.method = method;
      this.path = path;
    }

    StepBinding binding() {
      return grant.binding();
    }

    ModelProvider provider() {
      return binding().provider();
    }
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    String method = request.method().name();
    List<String> tokens = request.requestHeaders().getAll(ModelRoute.TOKEN_HEADER);
    StepGrant grant = tokens.size() == 1 ? grants.get(tokens.get(0)) : null;
    if (grant == null || !grant.begin()) {
      log.warn("model gateway: refused {} {} without a valid step token", method, path);
      return send(response, ModelProvider.ANTHROPIC, 403, "token",
          "forge: this call carries no valid step token; the model gateway serves only the"
              + " egress proxy of a running step");
    }
    Call call = new Call(grant, method, path);
    try {
      return route(call, request, response, query)
          .onErrorResume(e -> failed(call, response, e))
          .doFinally(signal -> {
            if (!call.recorded.get()) {
              finish(call, response.status().code(), null, "cancelled");
            }
          });
    } catch (RuntimeException e) {
      return failed(call, response, e);
    }
  }

  private Mono<Void> route(Call call, HttpServerRequest request, HttpServerResponse response,
      String query) {
    ModelProvider provider = call.provider();
    if (call.path.contains("..") || call.path.contains("//") || call.path.contains("%")) {
      return refuse(call, response, 400, "path", "forge: the path " + call.path
          + " is not a plain path; the model gateway forwards only " + ModelApi.endpoints(provider));
    }
    ModelApi api = ModelApi.of(provider, call.method, call.path).orElse(null);
    if (api == null) {
      return refuse(call, response, 404, "path", "forge: the model gateway forwards only "
          + ModelApi.endpoints(provider) + " of " + provider.configName() + " for this loop, not "
          + call.method + " " + call.path);
    }
    call.api = api;
    if (!ModelApi.ALLOWED_QUERIES.contains(query)) {
      return refuse(call, response, 400, "path", "forge: the query string '" + query
          + "' is not forwarded; only " + String.join(" or ", ModelApi.ALLOWED_QUERIES.stream()
              .filter(s -> !s.isEmpty()).toList()) + " may follow " + call.path);
    }
    long declared = request.requestHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
    if (declared > settings.maxRequestBytes()) {
      return tooLarge(call, response, declared);
    }
    return Mono.defer(() -> read(request))
        .flatMap(body -> forward(call, request, response, query, body))
        .onErrorResume(TooLarge.class, e -> tooLarge(call, response, e.size));
  }

  private Mono<byte[]> read(HttpServerRequest request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return request.receive().asByteArray()
        .doOnNext(bytes -> {
          if (out.size() + (long) bytes.length > settings.maxRequestBytes()) {
            throw new TooLarge(out.size() + (long) bytes.length);
          }
          out.writeBytes(bytes);
        })
        .then(Mono.fromSupplier(out::toByteArray));
  }

  private Mono<Void> forward(Call call, HttpServerRequest request, HttpServerResponse response,
      String query, byte[] body) {
    ModelApi api = call.api;
    StepBinding binding = call.binding();
    JsonNode parsed;
    try {
      parsed = JSON.readTree(body);
    } catch (IOException e) {
      parsed = null;
    }
    if (!(parsed instanceof ObjectNode json)) {
      return refuse(call, response, 400, "request",
          "forge: the request body is not a JSON object; nothing was forwarded");
    }
    call.model = ModelApi.model(json);
    call.streamed = ModelApi.streamed(json);

    for (ModelApi.ToolResult result : api.newestToolResults(json)) {
      UntrustedText.Sanitized scan = UntrustedText.sanitize(result.text(), UntrustedText.Source.PLAIN);
      List<UntrustedText.Finding> steering = scan.steeringFindings();
      boolean refuse = binding.toolResults() == ToolResults.REFUSE && !steering.isEmpty();
      for (UntrustedText.Finding finding : steering) {
        safely(() -> recorder.flagged(new FlaggedToolResult(call.id, binding.loopId(),
            binding.iteration(), binding.step(), result.toolUseId(), finding.rule(),
            finding.category().name(), ToolTargets.of(JSON.getNodeFactory().textNode(
                finding.excerpt()), List.of()), refuse)));
      }
      if (refuse) {
        return refuse(call, response, 400, "tool_result", "forge: a tool result in this request"
            + " looks like prompt injection (" + steering.get(0).rule() + "), and the loop's"
            + " loop.agent.model.tool_results is refuse; the call was not forwarded");
      }
    }

    String key = hostEnv.apply(binding.credentialVariable());
    if (key == null || key.isBlank()) {
      return refuse(call, response, 401, "credential", "forge: the host variable "
          + binding.credentialVariable() + " that holds this loop's " + call.provider().configName()
          + " key is not set on the worker; the call was not forwarded");
    }
    call.key = key;

    if (api.metered()) {
      Price price = price(call.model).orElse(prices.mostExpensive());
      Reservation reservation = call.grant.ledger().reserve(body.length, price,
          api.maxOutput(json), settings.defaultMaxOutputTokens(), api.choices(json)).orElse(null);
      if (reservation == null) {
        return refuse(call, response, 400, "cost_cap", "forge: the loop's cost cap leaves "
            + usd(call.grant.ledger().remaining()) + " USD for this step, less than this call's"
            + " input may cost (" + body.length + " bytes of request); raise the loop's cost cap"
            + " to go on");
      }
      call.reservation = reservation;
      api.limit(json, reservation.maxOutput());
    }
    byte[] forwarded;
    try {
      forwarded = JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      return refuse(call, response, 400, "request", "forge: the request could not be re-encoded");
    }

    URI upstream = settings.upstreams().get(call.provider());
    if (upstream == null) {
      return refuse(call, response, 502, "upstream", "forge: no upstream is configured for "
          + call.provider().configName());
    }
    return address(upstream)
        .flatMap(address -> send(call, request, response, query, upstream, address, forwarded))
        .onErrorResume(UpstreamRefused.class,
            e -> refuse(call, response, 502, "upstream", e.getMessage()));
  }

  private Mono<Void> send(Call call, HttpServerRequest request, HttpServerResponse response,
      String query, URI upstream, InetSocketAddress address, byte[] body) {
    String base = upstream.getRawPath() == null ? "" : upstream.getRawPath().replaceAll("/$", "");
    String uri = base + call.path + (query.isEmpty() ? "" : "?" + query);
    String hostHeader = upstream.getHost() + (upstream.getPort() < 0 ? "" : ":" + upstream.getPort());
    HttpClient bound = clients.get(call.provider()).remoteAddress(() -> address)
        .headers(h -> {
          copyRequest(request.requestHeaders(), h);
          h.set(HttpHeaderNames.HOST, hostHeader);
          h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
          h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
          h.set(HttpHeaderNames.ACCEPT_ENCODING, "identity");
          if (call.provider() == ModelProvider.ANTHROPIC) {
            h.set("x-api-key", call.key);
          } else {
            h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + call.key);
          }
        });
    return bound.request(HttpMethod.POST)
        .uri(uri)
        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
        .response((upstreamResponse, content) -> relay(call, upstreamResponse, content, response))
        .then();
  }

  private Publisher<Void> relay(Call call, HttpClientResponse upstream, ByteBufFlux content,
      HttpServerResponse response) {
    int status = upstream.status().code();
    response.status(status);
    upstream.responseHeaders().forEach(e -> {
      if (!DROPPED_RESPONSE.contains(e.getKey().toLowerCase())) {
        response.addHeader(e.getKey(), e.getValue());
      }
    });
    String type = upstream.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, "");
    boolean sse = type.startsWith("text/event-stream");
    boolean identity = upstream.responseHeaders().get(HttpHeaderNames.CONTENT_ENCODING, "identity")
        .equals("identity");
    ResponseMeter meter = new ResponseMeter(call.api, sse, settings.maxResponseBytes());
    AtomicLong total = new AtomicLong();
    AtomicBoolean complete = new AtomicBoolean();
    Flux<ByteBuf> relayed = content.retain()
        .doOnNext(buf -> {
          if (call.firstByteNanos == 0) {
            call.firstByteNanos = System.nanoTime();
          }
          if (total.addAndGet(buf.readableBytes()) > settings.maxResponseBytes()) {
            buf.release();
            throw new TooLarge(total.get());
          }
          if (identity) {
            meter.feed(ByteBufUtil.getBytes(buf));
          }
        })
        .doOnComplete(() -> complete.set(true));
    // Recorded before the end is passed on: handle()'s own fallback must find the call recorded.
    return response.send(relayed, buf -> sse).then()
        .doOnSuccess(v -> {
          meter.end();
          finish(call, status, meter, complete.get() ? null : "interrupted");
        })
        .onErrorResume(e -> {
          meter.end();
          finish(call, status, meter, e instanceof TooLarge ? "response over the size limit"
              : "interrupted: " + e.getClass().getSimpleName());
          return Mono.empty();
        })
        .doOnCancel(() -> {
          meter.end();
          finish(call, status, meter, "cancelled by the agent");
        });
  }

  /** Records a call once: its cost settled against the step's budget. */
  private void finish(Call call, int status, ResponseMeter meter, String interruption) {
    if (!call.recorded.compareAndSet(false, true)) {
      return;
    }
    try {
      StepBinding b = call.binding();
      String model = meter != null && meter.model() != null ? meter.model() : call.model;
      BigDecimal cost = BigDecimal.ZERO;
      String source = "free";
      long in = 0;
      long cached = 0;
      long written = 0;
      long out = 0;
      if (call.reservation != null) {
        boolean usage = meter != null && meter.usageSeen();
        if (usage) {
          in = meter.inputTokens();
          cached = meter.cachedInputTokens();
          written = meter.cacheWriteTokens();
          out = meter.outputTokens();
          Price price = price(model).orElse(null);
          if (price != null) {
            cost = price.cost(in, cached, written, out);
            source = "metered";
          } else {
            cost = call.reservation.amount();
            source = "unpriced";
          }
        } else if (status < 400 || interruption != null) {
          // Nothing says what the call cost: the worst case is charged, never nothing.
          cost = call.reservation.amount();
          source = "unreported";
        }
        cost = call.grant.ledger().settle(call.reservation, cost);
      }
      List<AgentToolCall> tools = new ArrayList<>();
      if (meter != null) {
        for (ResponseMeter.ToolUse tool : meter.tools()) {
          tools.add(new AgentToolCall(call.id, b.loopId(), b.iteration(), b.step(),
              b.provider(), tool.id(), tool.name(),
              ToolTargets.of(tool.input(), call.key == null ? List.of() : List.of(call.key))));
        }
      }
      long now = System.nanoTime();
      ModelCall record = new ModelCall(call.id, b.loopId(), b.iteration(), b.step(), b.attempt(),
          b.provider(), model, call.method, call.path, status, call.streamed, in, cached, written,
          out, cost, source, call.reservation == null ? BigDecimal.ZERO : call.reservation.amount(),
          (now - call.startNanos) / 1_000_000,
          call.firstByteNanos == 0 ? -1 : (call.firstByteNanos - call.startNanos) / 1_000_000,
          call.startedAt, null, interruption);
      later(call, () -> {
        tools.forEach(t -> safely(() -> recorder.tool(t)));
        safely(() -> recorder.call(record));
      });
    } catch (RuntimeException e) {
      call.grant.end();
      throw e;
    }
  }

  /** Records off the event loop (the recorder writes to the database), then ends the call. */
  private static void later(Call call, Runnable records) {
    Schedulers.boundedElastic().schedule(() -> {
      try {
        records.run();
      } finally {
        call.grant.end();
      }
    });
  }

  private Mono<Void> refuse(Call call, HttpServerResponse response, int status, String rule,
      String message) {
    call.recorded.set(true);
    try {
      StepBinding b = call.binding();
      if (call.reservation != null) {
        call.grant.ledger().settle(call.reservation, BigDecimal.ZERO);
      }
      ModelCall record = new ModelCall(call.id, b.loopId(), b.iteration(), b.step(), b.attempt(),
          b.provider(), call.model, call.method, call.path, status, false, 0, 0, 0, 0,
          BigDecimal.ZERO, "refused", BigDecimal.ZERO, (System.nanoTime() - call.startNanos)
              / 1_000_000, -1, call.startedAt, rule, message);
      later(call, () -> safely(() -> recorder.call(record)));
    } catch (RuntimeException e) {
      call.grant.end();
      throw e;
    }
    return send(response, call.provider(), status, rule, message);
  }

  private Mono<Void> tooLarge(Call call, HttpServerResponse response, long size) {
    return refuse(call, response, 413, "size", "forge: the request body (" + size
        + " bytes or more) is over the model gateway's limit of " + settings.maxRequestBytes()
        + " bytes; nothing was forwarded");
  }

  private Mono<Void> failed(Call call, HttpServerResponse response, Throwable e) {
    if (e instanceof TooLarge && response.hasSentHeaders()) {
      log.warn("model gateway: the response to {} of loop {} is over {} bytes; cut",
          call.path, call.binding().loopId(), settings.maxResponseBytes());
      finish(call, response.status().code(), null, "response over the size limit");
      return Mono.empty();
    }
    if (response.hasSentHeaders()) {
      finish(call, response.status().code(), null, "interrupted: " + e.getClass().getSimpleName());
      return Mono.empty();
    }
    log.warn("model gateway: {} {} of loop {} failed: {}", call.method, call.path,
        call.binding().loopId(), e.toString());
    if (call.recorded.get()) {
      return Mono.empty();
    }
    return refuse(call, response, 502, "upstream", "forge: the model gateway could not reach "
        + call.provider().configName() + " (" + e.getClass().getSimpleName() + ")");
  }

  private static Mono<Void> send(HttpServerResponse response, ModelProvider provider, int status,
      String rule, String message) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(ModelApi.error(provider, status, rule, message));
    } catch (IOException e) {
      body = message.getBytes(StandardCharsets.UTF_8);
    }
    return response.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .header("x-forge-refusal", rule)
        .sendByteArray(Mono.just(body))
        .then();
  }

  private static void copyRequest(HttpHeaders from, HttpHeaders to) {
    from.forEach(e -> {
      String name = e.getKey().toLowerCase();
      if (!DROPPED_REQUEST.contains(name)) {
        to.add(e.getKey(), e.getValue());
      }
    });
  }

  /**
   * The upstream's checked address: the one {@link #resolve} gave less than {@link
   * #ADDRESS_TTL_NANOS} ago, or a new lookup off the event loop (the lookup may block). Every call
   * thus connects to an address that was checked, and a name is checked again each time it is
   * looked up again; a refusal is never kept, so each call of a refused upstream is refused anew.
   * Keeping the address saves each call two thread hops and the lookup.
   */
  private Mono<InetSocketAddress> address(URI upstream) {
    CheckedAddress kept = addresses.get(upstream);
    if (kept != null && System.nanoTime() - kept.checkedNanos() < ADDRESS_TTL_NANOS) {
      return Mono.just(kept.address());
    }
    return Mono.fromCallable(() -> {
          long checked = System.nanoTime();
          InetSocketAddress address = resolve(upstream);
          addresses.put(upstream, new CheckedAddress(address, checked));
          return address;
        })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * The upstream's address, resolved and checked: every address the name resolves to must be
   * outside the refused ranges, so a name that also points inside cannot be used to reach it; the
   * connection then goes to the address that was checked.
   */
  private InetSocketAddress resolve(URI upstream) throws UnknownHostException {
    String host = upstream.getHost();
    int port = upstream.getPort() > 0 ? upstream.getPort()
        : "https".equals(upstream.getScheme()) ? 443 : 80;
    InetAddress[] addresses = InetAddress.getAllByName(host);
    if (!settings.trustUpstreamAddresses()) {
      for (InetAddress address : addresses) {
        for (Cidr range : refused) {
          if (range.contains(address)) {
            throw new UpstreamRefused("forge: the upstream " + host + " resolves to "
                + address.getHostAddress() + ", in a range no call may reach (" + range
                + "); the call was not forwarded");
          }
        }
      }
    }
    return new InetSocketAddress(InetAddress.getByAddress(host, addresses[0].getAddress()), port);
  }

  /** The price of a model by its id, or by the id without a date suffix. */
  Optional<Price> price(String model) {
    Optional<Price> exact = prices.price(model);
    return exact.isPresent() || model == null ? exact
        : prices.price(DATED.matcher(model).replaceFirst(""));
  }

  private static String usd(BigDecimal amount) {
    return amount.max(BigDecimal.ZERO).setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("model gateway: recording failed", e);
    }
  }

  /** An upstream's address that passed {@link #resolve}'s check, and when the lookup began. */
  private record CheckedAddress(InetSocketAddress address, long checkedNanos) {}

  private static final class TooLarge extends RuntimeException {
    final long size;

    TooLarge(long size) {
      super(null, null, false, false);
      this.size = size;
    }
  }

  private static final class UpstreamRefused extends RuntimeException {
    UpstreamRefused(String message) {
      super(message, null, false, false);
    }
  }
}
