package io.portcullis.identity;

import io.portcullis.identity.IdentityEvents.RoleChanged;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The users of the current tenant. */
@Repository
public class Users {

  private static final String SELECT =
      """
      select u.id, u.entra_object_id, u.display_name, u.email, u.directory_role, r.role as assigned_role,
             u.last_sign_in_at
        from app_user u left join role_assignment r on r.user_id = u.id
      """;

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;

  Users(JdbcClient jdbc, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /** Records a sign-in: creates the user on first sight, refreshes name, email and directory role otherwise. */
  @Transactional
  public User signedIn(String objectId, String displayName, String email, Role directoryRole) {
    UUID id =
        jdbc.sql(
                """
                insert into app_user (tenant_id, entra_object_id, display_name, email, directory_role, last_sign_in_at)
                values (app_current_tenant(), :oid, :name, :email, :role, now())
                on conflict (tenant_id, entra_object_id) do update
                   set display_name = excluded.display_name, email = excluded.email,
                       directory_role = excluded.directory_role, last_sign_in_at = excluded.last_sign_in_at
                returning id
                """)
            .param("oid", objectId)
            .param("name", displayName)
            .param("email", email)
            .param("role", directoryRole == null ? null : directoryRole.name())
            .query(UUID.class)
            .single();
    return find(id).orElseThrow();
  }

  @Transactional(readOnly = true)
  public Optional<User> find(UUID id) {
    return jdbc.sql(SELECT + " where u.id = ?").param(id).query(Users::map).optional();
  }

  /** The user with this Entra object id (or {@code local:<name>}), if they have signed in before. */
  @Transactional(readOnly = true)
  public Optional<User> findByObjectId(String objectId) {
    return jdbc.sql(SELECT + " where u.entra_object_id = ?").param(objectId).query(Users::map).optional();
  }

  @Transactional(readOnly = true)
  public List<User> all() {
    return jdbc.sql(SELECT + " order by lower(u.display_name), u.id").query(Users::map).list();
  }

  @Transactional(readOnly = true)
  public long count() {
    return jdbc.sql("select count(*) from app_user").query(Long.class).single();
  }

  /**
   * Sets (or, with {@code role} null, removes) the in-app override of a user's role. Admins cannot change their own role,
   * so a tenant can never lock out the administrator making the change.
   */
  @Transactional
  public User assignRole(UUID userId, Role role, SignedInUser by) {
    if (userId.equals(by.userId())) {
      throw new IllegalArgumentException("You cannot change your own role.");
    }
    User before = find(userId).orElseThrow(() -> new UnknownUserException(userId));
    if (role == null) {
      jdbc.sql("delete from role_assignment where user_id = ?").param(userId).update();
    } else {
      jdbc.sql(
              """
              insert into role_assignment (tenant_id, user_id, role, assigned_by)
              values (app_current_tenant(), :user, :role, :by)
              on conflict (tenant_id, user_id) do update
                 set role = excluded.role, assigned_by = excluded.assigned_by, assigned_at = now()
              """)
          .param("user", userId)
          .param("role", role.name())
          .param("by", by.actor())
          .update();
    }
    User after = find(userId).orElseThrow();
    if (before.effectiveRole() != after.effectiveRole() || before.assignedRole() != after.assignedRole()) {
      events.publishEvent(
          new RoleChanged(
              by.tenantId(), userId, after.actor(), before.effectiveRole(), after.effectiveRole(), by.actor()));
    }
    return after;
  }

  private static User map(ResultSet rs, int row) throws SQLException {
    Timestamp lastSignIn = rs.getTimestamp("last_sign_in_at");
    return new User(
        rs.getObject("id", UUID.class),
        rs.getString("entra_object_id"),
        rs.getString("display_name"),
        rs.getString("email"),
        role(rs.getString("directory_role")),
        role(rs.getString("assigned_role")),
        lastSignIn == null ? null : lastSignIn.toInstant());
  }

  private static Role role(String value) {
    return value == null ? null : Role.valueOf(value);
  }

  /** No user with that id in this tenant. */
  public static final class UnknownUserException extends RuntimeException {
    UnknownUserException(UUID id) {
      super("no user " + id);
    }
  }
}
