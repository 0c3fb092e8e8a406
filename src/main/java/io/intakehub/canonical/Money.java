package io.intakehub.canonical;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/** An amount with its ISO 4217 currency; the amount is serialised as a decimal string. */
public record Money(@JsonSerialize(using = ToStringSerializer.class) BigDecimal amount, String currency) {}
