package io.portcullis.registry.internal;

import io.portcullis.registry.Connection;
import io.portcullis.registry.Connections;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistrySource;
import io.portcullis.secrets.Sealed;
import io.portcullis.secrets.SecretBox;
import io.portcullis.tenancy.TenantScope;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens a connection: its sealed credential is opened here and nowhere else, handed to the client that speaks to the
 * registry, and never kept. Endpoints in private networks are refused unless the installation allows them.
 */
@Component
public class RegistrySources {

  private final JdbcClient jdbc;
  private final SecretBox secrets;
  private final RegistryProperties properties;
  private final SourceFactory factory;
  private final TransactionTemplate transactions;
  private final RequestLimits limits;

  RegistrySources(
      JdbcClient jdbc,
      SecretBox secrets,
      RegistryProperties properties,
      SourceFactory factory,
      PlatformTransactionManager transactionManager,
      RequestLimits limits) {
    this.limits = limits;
    this.transactions = new TransactionTemplate(transactionManager);
    transactions.setReadOnly(true);
    this.jdbc = jdbc;
    this.secrets = secrets;
    this.properties = properties;
    this.factory = factory;
  }

  public RegistrySource open(Connection connection) throws RegistryException {
    URI endpoint = URI.create(connection.endpoint());
    requireAllowedAddress(endpoint.getHost());
    String secret = secret(connection).orElse(null);
    int[] allowance = transactions.execute(status ->
        jdbc.sql("select max_concurrent_requests, requests_per_second from registry_connection where id = ?")
            .param(connection.id())
            .query((rs, i) -> new int[] {rs.getInt(1), rs.getInt(2)})
            .optional()
            .orElse(new int[] {8, 20}));
    return limits.limit(connection.id(), allowance[0], allowance[1], factory.create(connection, endpoint, secret));
  }

  private Optional<String> secret(Connection connection) {
    Optional<Sealed> sealed =
        transactions.execute(
            status ->
                jdbc.sql("select secret, secret_key_id from registry_connection where id = ? and secret is not null")
                    .param(connection.id())
                    .query((rs, i) -> new Sealed(rs.getString("secret_key_id"), rs.getBytes("secret")))
                    .optional());
    return sealed.map(s -> secrets.open(s, Connections.secretOwner(TenantScope.require(), connection.id())));
  }

  /**
   * A tenant must not turn Portcullis into a probe of the network it runs in: loopback, link-local (cloud metadata),
   * private and unique-local addresses are refused unless the installation allows them.
   */
  void requireAllowedAddress(String host) throws RegistryException {
    if (properties.allowPrivateNetworks()) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "the host " + host + " does not resolve");
    }
    for (InetAddress address : addresses) {
      byte[] raw = address.getAddress();
      boolean uniqueLocal = raw.length == 16 && (raw[0] & 0xfe) == 0xfc;
      boolean sharedAddressSpace = raw.length == 4 && (raw[0] & 0xff) == 100 && (raw[1] & 0xc0) == 64;
      if (address.isLoopbackAddress()
          || address.isLinkLocalAddress()
          || address.isSiteLocalAddress()
          || address.isAnyLocalAddress()
          || address.isMulticastAddress()
          || uniqueLocal
          || sharedAddressSpace) {
        throw new RegistryException(
            RegistryException.Kind.UNAVAILABLE,
            "the host " + host + " resolves to a private or local address (" + address.getHostAddress()
                + "), which this installation does not connect to");
      }
    }
  }

  /** Makes the client for a connection's kind and authentication. */
  interface SourceFactory {
    RegistrySource create(Connection connection, URI endpoint, String secret) throws RegistryException;
  }
}
