from messaging import services
from messaging.models import Chat


def group(owner, *members, title="Семья Ивановых", kind=Chat.Kind.GROUP):
    return services.create_group(by=owner, title=title, members=members, kind=kind)


def say(sender, chat, text="Привет", client_id=None):
    import uuid

    message, _created = services.send_message(
        sender=sender, chat=chat, client_id=client_id or uuid.uuid4().hex, text=text
    )
    return message
