using RollbackFunctions.Readiness;

namespace RollbackFunctions.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Channels from <c>Rollback:Notifications</c> (validated at start), one formatter per format, the sender's HTTP
    /// client (no retry handler: durable timers retry; no request logging: a webhook URL is often its own secret; no
    /// redirects: headers are credentials), the scheduler and the activities.
    /// </summary>
    public static IServiceCollection AddRollbackNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotificationOptions>()
            .Configure(options =>
            {
                configuration.GetSection(NotificationOptions.ChannelsSection).Bind(options.Channels);
                configuration.GetSection(NotificationOptions.DeliverySection).Bind(options.Delivery);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationFormatter, GenericFormatter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationFormatter, TeamsFormatter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationFormatter, SlackFormatter>());
        services.AddHttpClient<NotificationSender>()
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddSingleton<NotificationScheduler>();

        // Readiness and drills tell the channels; a host (or a test) that registers its own seam keeps it.
        services.TryAddSingleton<LoggedReadinessNotifications>();
        services.Replace(ServiceDescriptor.Singleton<IReadinessNotifications, ReadinessNotifications>());
        services.TryAddTransient<DeliverNotificationActivity>();
        services.TryAddTransient<RecordNotificationFailureActivity>();

        // By a factory: a host without a DurableTaskClient in DI (the Functions app passes its binding's) still builds.
        services.TryAddTransient(sp => new ScheduleNotificationsActivity(
            sp.GetRequiredService<NotificationScheduler>(), sp.GetRequiredService<DurableTaskClient>(), sp.GetRequiredService<RollbackAuditStore>()));
        return services;
    }

    /// <summary>The notification orchestrator and its activities, under their class names.</summary>
    public static DurableTaskRegistry AddRollbackNotifications(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<NotificationOrchestrator>()
            .AddActivity<DeliverNotificationActivity>()
            .AddActivity<RecordNotificationFailureActivity>()
            .AddActivity<ScheduleNotificationsActivity>();
    }
}
