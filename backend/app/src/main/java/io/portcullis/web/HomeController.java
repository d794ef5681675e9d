package io.portcullis.web;

import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page: the organisation at a glance, with figures read from the database and nothing made up. */
@Controller
class HomeController {

  private final Tenants tenants;
  private final Users users;
  private final AuditLog audit;

  HomeController(Tenants tenants, Users users, AuditLog audit) {
    this.tenants = tenants;
    this.users = users;
    this.audit = audit;
  }

  @GetMapping("/")
  String home(@AuthenticationPrincipal SignedInUser me, Model model) {
    List<User> all = users.all();
    Map<Role, Long> byRole = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      byRole.put(role, all.stream().filter(u -> u.effectiveRole() == role).count());
    }
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
    model.addAttribute("tenant", tenants.current());
    model.addAttribute("userCount", all.size());
    model.addAttribute("usersByRole", byRole);
    model.addAttribute("activeToday", all.stream().filter(u -> u.lastSignInAt() != null && u.lastSignInAt().isAfter(dayAgo)).count());
    if (me.can(Role.ANALYST)) {
      model.addAttribute("eventsToday", audit.countSince(dayAgo));
      model.addAttribute("recent", audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 5).events());
    }
    return "home";
  }
}
