package io.portcullis.identity.web;

import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.Users;
import io.portcullis.identity.Users.UnknownUserException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admins see the tenant's users and can override the role a user's token carries. */
@Controller
class UserController {

  private final Users users;

  UserController(Users users) {
    this.users = users;
  }

  @GetMapping("/users")
  String list(Model model) {
    model.addAttribute("users", users.all());
    model.addAttribute("roles", Role.values());
    return "identity/users";
  }

  @PostMapping("/users/{id}/role")
  String assignRole(
      @PathVariable UUID id,
      RoleForm form,
      @AuthenticationPrincipal SignedInUser admin,
      RedirectAttributes redirect) {
    try {
      var user = users.assignRole(id, form.override(), admin);
      Role now = user.effectiveRole();
      redirect.addFlashAttribute(
          "message", user.displayName() + (now == null ? " has no role now." : " is now " + now.appRole() + "."));
    } catch (IllegalArgumentException e) {
      redirect.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/users";
  }

  @ExceptionHandler(UnknownUserException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String unknownUser() {
    return "error/404";
  }

  /**
   * The role form: one of the role names, or empty for "as in Entra ID".
   *
   * @param role the submitted value
   */
  record RoleForm(String role) {

    /** The chosen override; null for none. */
    Role override() {
      if (role == null || role.isBlank()) {
        return null;
      }
      return Role.fromAppRole(role)
          .orElseThrow(() -> new IllegalArgumentException("Choose Admin, Analyst, Viewer, or the role from Entra ID."));
    }
  }
}
