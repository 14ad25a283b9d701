"""RabbitMQ topology, publisher, consumer, outbox and inbox."""
