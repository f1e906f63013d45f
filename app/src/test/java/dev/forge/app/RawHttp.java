package dev.forge.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...
 * are all this machine): so one test can be several clients, and can send what an ordinary
 * client would not (a Content-Length it never sends, oversized headers, raw request lines).
 */
final class RawHttp {

  private final int port;
  private final String from;

  RawHttp(int port, String from) {
    this.port = port;
    this.from = from;
  }

  record Response(int status, Map<String, String> headers, String body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() {
      try {
        return ForgeHttp.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  Response get(String path, String token) {
    return send("GET", path, token, Map.of(), null);
  }

  Response post(String path, String token, String json) {
    return send("POST", path, token, Map.of("Content-Type", "application/json"), json);
  }

  /** A request with the given headers; a body gets its Content-Length unless the headers set one. */
  Response send(String method, String path, String token, Map<String, String> headers, String body) {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    head.append("Connection: close\r\n");
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Length"))) {
      head.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    head.append("\r\n");
    return exchange(head.toString().getBytes(StandardCharsets.ISO_8859_1), bytes);
  }

  /** Sends the bytes as they are and reads the answer. */
  Response exchange(byte[] head, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      try {
        out.write(body);
        out.flush();
      } catch (IOException closedEarly) {
        // The server answered without reading all of the body: its answer is what counts.
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new AssertionError("HTTP exchange from " + from + " failed", e);
    }
  }

  /**
   * Reads the answer as a client does: up to its Content-Length, else to the end of the chunked
   * body, else until the server closes. An answer without a status line (what a server sends to
   * something it takes for HTTP/0.9) has status -1.
   */
  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      received.write(buffer, 0, n);
      if (complete(received.toByteArray())) {
        break;
      }
    }
    byte[] all = received.toByteArray();
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || end < 0) {
      return new Response(-1, Map.of(), new String(all, StandardCharsets.UTF_8));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
    }
    byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      rest = dechunk(rest);
    }
    return new Response(status, headers, new String(rest, StandardCharsets.UTF_8));
  }

  private static boolean complete(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(Locale.ROOT);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *([0-9]+)").matcher(head);
    if (length.find()) {
      return bytes.length - end - 4 >= Long.parseLong(length.group(1));
    }
    return head.contains("\r\ntransfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = indexOf(chunked, at);
      int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII)
          .split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      body.write(chunked, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return body.toByteArray();
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length - 1; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    throw new AssertionError("broken chunked body");
  }
}
