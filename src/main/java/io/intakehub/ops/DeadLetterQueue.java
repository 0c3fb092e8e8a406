package io.intakehub.ops;

import java.nio.charset.StandardCharsets;

import io.intakehub.config.HubProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * One dead letter by its JMS id, as the ops API reaches it: looked at (browsed, left on the queue), or taken off the
 * queue together with whatever the caller does while holding it (the audit entry) in one JMS transaction — if that
 * fails, the dead letter stays. Ids are checked against a strict pattern before they reach a JMS selector.
 */
@Component
public class DeadLetterQueue {

    private static final com.google.re2j.Pattern JMS_ID = com.google.re2j.Pattern.compile("[A-Za-z0-9:._-]{1,200}");

    /** What the caller does with one dead letter; {@code null} when it is not (or no longer) on the queue. */
    @FunctionalInterface
    public interface Use<R> {
        R with(Message m) throws JMSException;
    }

    private final JmsTemplate jms;
    private final JmsTemplate transacted;
    private final String queue;

    public DeadLetterQueue(JmsTemplate jms, HubProperties props) {
        this.jms = jms;
        this.transacted = new JmsTemplate(jms.getConnectionFactory());
        this.transacted.setSessionTransacted(true);
        this.queue = props.getQueues().getDeadLetters();
    }

    public String name() {
        return queue;
    }

    /** A JMS message id the ops API accepts (anything else is no dead letter of ours). */
    public static boolean isId(String id) {
        return id != null && JMS_ID.matcher(id).matches();
    }

    /** Looks at one dead letter without taking it. */
    public <R> R browse(String id, Use<R> use) {
        return jms.browseSelected(queue, selector(id), (session, browser) -> {
            var e = browser.getEnumeration();
            return use.with(e.hasMoreElements() ? (Message) e.nextElement() : null);
        });
    }

    /** Takes one dead letter off the queue; {@code use} runs inside the same transaction (commit after it, rollback if it throws). */
    public <R> R take(String id, Use<R> use) {
        return transacted.execute(session -> {
            try (jakarta.jms.MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector(id))) {
                R result = use.with(consumer.receive(2000));
                session.commit();
                return result;
            } catch (RuntimeException | JMSException e) {
                session.rollback();
                throw e;
            }
        }, true);
    }

    /** A dead letter's body as bytes, whichever JMS message type carries it. */
    static byte[] body(Message m) throws JMSException {
        if (m instanceof BytesMessage b) {
            b.reset();
            byte[] data = new byte[(int) b.getBodyLength()];
            b.readBytes(data);
            return data;
        }
        if (m instanceof TextMessage t && t.getText() != null) {
            return t.getText().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    private static String selector(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a dead-letter id");
        }
        return "JMSMessageID = '" + id + "'";
    }
}
