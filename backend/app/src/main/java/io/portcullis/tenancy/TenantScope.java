package io.portcullis.tenancy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The tenant the current thread works for. An explicit scope (a job, the sign-in that establishes a principal) wins over
 * the signed-in principal; with neither there is no tenant and every tenant-owned query fails.
 */
public final class TenantScope {

  /** The platform itself: owner of events that no tenant can be trusted to own, such as a sign-in with a forged token. */
  public static final UUID PLATFORM = new UUID(0, 0);

  private static final ThreadLocal<Deque<UUID>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

  private TenantScope() {}

  /** The tenant of the current thread, if any. */
  public static Optional<UUID> current() {
    UUID explicit = SCOPES.get().peek();
    if (explicit != null) {
      return Optional.of(explicit);
    }
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof TenantPrincipal principal) {
      return Optional.of(principal.tenantId());
    }
    return Optional.empty();
  }

  /** The tenant of the current thread, or an exception: for code that must never run without one. */
  public static UUID require() {
    return current().orElseThrow(() -> new IllegalStateException("no tenant in scope"));
  }

  /** Runs {@code work} for {@code tenant}; the transactions it starts are bound to that tenant. */
  public static <T> T callAs(UUID tenant, Supplier<T> work) {
    Objects.requireNonNull(tenant, "tenant");
    // The tenant is applied when a transaction begins: switching inside a running transaction would silently keep the old
    // one, so refuse it.
    if (TransactionSynchronizationManager.isActualTransactionActive()
        && !tenant.equals(current().orElse(null))) {
      throw new IllegalStateException("cannot switch tenant inside a running transaction");
    }
    Deque<UUID> scopes = SCOPES.get();
    scopes.push(tenant);
    try {
      return work.get();
    } finally {
      scopes.pop();
      if (scopes.isEmpty()) {
        SCOPES.remove();
      }
    }
  }

  public static void runAs(UUID tenant, Runnable work) {
    callAs(
        tenant,
        () -> {
          work.run();
          return null;
        });
  }
}
