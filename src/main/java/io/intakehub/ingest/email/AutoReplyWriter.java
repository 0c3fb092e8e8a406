package io.intakehub.ingest.email;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import com.google.re2j.Pattern;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Writes the acknowledgement: to the sender's address only, in the language of the original
 * (Chinese when it is mostly written in Chinese, else English), with the case number in the
 * subject, the reply and resolution deadlines, In-Reply-To / References, and
 * {@code Auto-Submitted: auto-replied}. Nothing from the incoming mail reaches a header unchecked:
 * the subject is cleaned of control characters (no CR/LF, so no header injection) and shortened,
 * Message-IDs are copied only when they have the strict {@code <local@domain>} form.
 */
public final class AutoReplyWriter {

    /** What the reply says. */
    public record Ack(String kind, String caseNumber, OffsetDateTime receivedAt, OffsetDateTime replyBy,
            OffsetDateTime resolveBy) {}

    private static final Pattern REPLY_PREFIX = Pattern.compile("^(?i)(re|回复|答复)\\s*[:：]\\s*");
    private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\\-]{1,200}@[A-Za-z0-9.\\-\\[\\]:]{1,200}$");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final Session SESSION = Session.getInstance(new Properties());

    private final InternetAddress from;
    private final String idDomain;
    private final ZoneId zone;

    public AutoReplyWriter(String from, String idDomain, ZoneId zone) {
        try {
            this.from = new InternetAddress(from, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("hub.email.reply.from is not an address: " + from, e);
        }
        this.idDomain = idDomain;
        this.zone = zone;
    }

    /** The Message-ID the acknowledgement of this case gets (so a reply to it finds the case). */
    public String replyMessageId(String caseNumber) {
        return "ack." + caseNumber + "@" + idDomain;
    }

    /** The hub's own address (never answered). */
    public String fromAddress() {
        return from.getAddress();
    }

    public static boolean chinese(ParsedEmail mail) {
        String sample = (mail.subject() == null ? "" : mail.subject()) + " "
                + mail.text().substring(0, Math.min(mail.text().length(), 2000));
        long han = sample.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count();
        long latin = sample.chars().filter(c -> c < 128 && Character.isLetter(c)).count();
        return han >= 2 && han * 3 >= latin / 2;
    }

    public MimeMessage write(ParsedEmail mail, Ack ack) throws MessagingException {
        boolean zh = chinese(mail);
        String id = replyMessageId(ack.caseNumber());
        MimeMessage reply = new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + id + ">");
            }
        };
        reply.setFrom(from);
        reply.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.from().address()));
        String original = HeaderDecoder.clean(mail.subject() == null ? "" : mail.subject());
        if (original.length() > 150) {
            original = original.substring(0, 150) + "…";
        }
        String tag = zh ? "[案件 " + ack.caseNumber() + "]" : "[Case " + ack.caseNumber() + "]";
        String subject = (original.isEmpty() ? (zh ? "您的来信" : "Your message") : REPLY_PREFIX.matcher(original).replaceFirst(""));
        reply.setSubject((zh ? "回复：" : "Re: ") + subject + " " + tag, StandardCharsets.UTF_8.name());
        reply.setSentDate(new Date());
        if (mail.messageId() != null && SAFE_ID.matcher(mail.messageId()).matches()) {
            reply.setHeader("In-Reply-To", "<" + mail.messageId() + ">");
            List<String> refs = new ArrayList<>();
            for (String r : mail.references()) {
                if (SAFE_ID.matcher(r).matches() && refs.size() < 20) {
                    refs.add("<" + r + ">");
                }
            }
            refs.add("<" + mail.messageId() + ">");
            reply.setHeader("References", String.join(" ", refs));
        }
        reply.setHeader("Auto-Submitted", "auto-replied");
        reply.setHeader("X-Auto-Response-Suppress", "All");
        reply.setHeader("Precedence", "auto_reply");
        reply.setText(zh ? chineseBody(original, ack) : englishBody(original, ack), StandardCharsets.UTF_8.name(), "plain");
        reply.saveChanges();
        return reply;
    }

    private String at(OffsetDateTime t) {
        return t.atZoneSameInstant(zone).format(WHEN);
    }

    private String chineseBody(String subject, Ack a) {
        String what = switch (a.kind()) {
            case "order" -> "订单";
            case "registration" -> "客户登记申请";
            case "complaint" -> "投诉";
            default -> "来信";
        };
        StringBuilder b = new StringBuilder();
        b.append("您好，\n\n我们已于 ").append(at(a.receivedAt())).append(" 收到您的").append(what)
                .append("「").append(subject).append("」，编号 ").append(a.caseNumber()).append("。\n");
        if (a.replyBy() != null) {
            b.append("我们将在 ").append(at(a.replyBy())).append(" 之前答复您");
            if (a.resolveBy() != null) {
                b.append("，并在 ").append(at(a.resolveBy())).append(" 之前处理完毕");
            }
            b.append("。\n");
        } else {
            b.append("我们会尽快与您确认。\n");
        }
        b.append("如需补充信息，请直接回复本邮件并保留主题中的编号，补充内容会归入同一案件。\n\n")
                .append("此邮件由系统自动发送（时间为 ").append(zone).append("）。\n客户服务中心\n");
        return b.toString();
    }

    private String englishBody(String subject, Ack a) {
        String what = switch (a.kind()) {
            case "order" -> "order";
            case "registration" -> "customer registration request";
            case "complaint" -> "complaint";
            default -> "message";
        };
        StringBuilder b = new StringBuilder();
        b.append("Hello,\n\nWe received your ").append(what).append(" \"").append(subject).append("\" on ")
                .append(at(a.receivedAt())).append(". Its reference is ").append(a.caseNumber()).append(".\n");
        if (a.replyBy() != null) {
            b.append("We will reply by ").append(at(a.replyBy()));
            if (a.resolveBy() != null) {
                b.append(" and aim to resolve it by ").append(at(a.resolveBy()));
            }
            b.append(".\n");
        } else {
            b.append("We will confirm it shortly.\n");
        }
        b.append("To add information, reply to this email and keep the reference in the subject; it will be filed with the same case.\n\n")
                .append("This is an automatic reply (times in ").append(zone).append(").\nCustomer Service Centre\n");
        return b.toString();
    }
}
