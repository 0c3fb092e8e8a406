package io.intakehub.ingest.web;

import java.io.IOException;

import io.intakehub.config.HubProperties;
import io.intakehub.shared.ReasonCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every {@code /api/*} request meets: the API key (401) and the declared body size
 * (413), both decided before a byte of the body is read.
 */
public class ApiGuardFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated client id. */
    public static final String CLIENT_ID = "io.intakehub.web.clientId";

    private final ApiKeys keys;
    private final long maxBodyBytes;

    public ApiGuardFilter(ApiKeys keys, HubProperties props) {
        this.keys = keys;
        this.maxBodyBytes = props.getWeb().getMaxBodyBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = keys.clientOf(request.getHeader("X-Api-Key")).orElse(null);
        if (client == null) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"X-Api-Key\"");
            Problems.write(response, HttpStatus.UNAUTHORIZED, ReasonCode.UNAUTHORIZED,
                    "missing or unknown X-Api-Key", request.getRequestURI());
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            response.setHeader("Connection", "close");
            Problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, ReasonCode.PAYLOAD_TOO_LARGE,
                    "body of " + declared + " bytes exceeds the limit of " + maxBodyBytes + " bytes",
                    request.getRequestURI());
            return;
        }
        request.setAttribute(CLIENT_ID, client);
        chain.doFilter(request, response);
    }
}
