package io.intakehub.ops;

import java.io.IOException;
import java.security.Principal;
import java.util.Set;

import io.intakehub.ingest.web.Problems;
import io.intakehub.shared.ReasonCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /ops/*} and {@code /actuator/*}: HTTP Basic against {@link OpsUsers} (401 without), and a viewer
 * may only read (403 for POST, PUT, PATCH, DELETE). The probes ({@code /actuator/health},
 * {@code /actuator/health/liveness|readiness}) stay open, as orchestrators call them without credentials; the
 * health details appear only to a signed-in user (the request carries the user as its principal and role).
 */
public class OpsGuardFilter extends OncePerRequestFilter {

    /** Request attribute holding the signed-in {@link OpsUsers.User}. */
    public static final String USER = "io.intakehub.ops.user";

    private static final Set<String> OPEN = Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final OpsUsers users;

    public OpsGuardFilter(OpsUsers users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        OpsUsers.User user = users.authenticate(request.getHeader("Authorization")).orElse(null);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (user == null) {
            if (OPEN.contains(path) && READS.contains(request.getMethod())) {
                chain.doFilter(request, response);
                return;
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"intake-hub-ops\"");
            Problems.write(response, HttpStatus.UNAUTHORIZED, ReasonCode.OPS_UNAUTHORIZED,
                    "sign in with an ops user (HTTP Basic)", request.getRequestURI());
            return;
        }
        if (!READS.contains(request.getMethod()) && user.role() != OpsUsers.Role.OPERATOR) {
            Problems.write(response, HttpStatus.FORBIDDEN, ReasonCode.FORBIDDEN,
                    "user '" + user.name() + "' is a " + user.role().name().toLowerCase() + "; this needs an operator",
                    request.getRequestURI());
            return;
        }
        request.setAttribute(USER, user);
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return user::name;
            }

            @Override
            public String getRemoteUser() {
                return user.name();
            }

            @Override
            public boolean isUserInRole(String role) {
                return role.equals(user.role().name()) || user.role() == OpsUsers.Role.OPERATOR && role.equals("VIEWER");
            }
        }, response);
    }
}
